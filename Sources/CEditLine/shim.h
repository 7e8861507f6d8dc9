// CEditLine: libedit's native API (histedit.h) with non-variadic wrappers Swift can call.
// Swift cannot call C variadic functions (el_set, el_get, history), hence one inline wrapper per use.
#include <stdio.h>
#include <locale.h>
#include <signal.h>
#include <histedit.h>

/// A function bound to a key with EL_ADDFN; returns CC_REFRESH, CC_REDISPLAY, CC_ERROR …
typedef unsigned char (*ecg_el_function)(EditLine *, int);
/// The prompt callback: returns a string that stays valid until the next call.
typedef char *(*ecg_el_prompt_function)(EditLine *);

static inline int ecg_el_set_prompt(EditLine *el, ecg_el_prompt_function prompt) {
    return el_set(el, EL_PROMPT, prompt);
}
static inline int ecg_el_set_editor(EditLine *el, const char *mode) { return el_set(el, EL_EDITOR, mode); }
static inline int ecg_el_set_signal(EditLine *el, int on) { return el_set(el, EL_SIGNAL, on); }
static inline int ecg_el_set_hist(EditLine *el, History *h) { return el_set(el, EL_HIST, history, h); }
static inline int ecg_el_addfn(EditLine *el, const char *name, const char *help, ecg_el_function fn) {
    return el_set(el, EL_ADDFN, name, help, fn);
}
static inline int ecg_el_bind(EditLine *el, const char *key, const char *name) {
    return el_set(el, EL_BIND, key, name, NULL);
}
static inline int ecg_el_set_clientdata(EditLine *el, void *data) { return el_set(el, EL_CLIENTDATA, data); }
static inline void *ecg_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}
/// Terminal width in columns (80 when unknown).
static inline int ecg_el_columns(EditLine *el) {
    int columns = 0;
    if (el_get(el, EL_GETTC, "co", &columns, NULL) != 0 || columns <= 0) return 80;
    return columns;
}
static inline int ecg_history_enter(History *h, HistEvent *event, const char *line) {
    return history(h, event, H_ENTER, line);
}
static inline int ecg_history_set_size(History *h, HistEvent *event, int size) {
    return history(h, event, H_SETSIZE, size);
}
static inline int ecg_history_set_unique(History *h, HistEvent *event, int on) {
    return history(h, event, H_SETUNIQUE, on);
}
static inline FILE *ecg_stdin(void) { return stdin; }
static inline FILE *ecg_stdout(void) { return stdout; }
static inline FILE *ecg_stderr(void) { return stderr; }

/// Replaces libedit's character reader (EL_GETCFN): returns 1 with a character, 0 at end of
/// input, -1 with errno set on error (EINTR makes el_gets return NULL with count -1).
typedef int (*ecg_el_read_function)(EditLine *, wchar_t *);
static inline int ecg_el_set_read_function(EditLine *el, ecg_el_read_function fn) {
    return el_set(el, EL_GETCFN, fn);
}
