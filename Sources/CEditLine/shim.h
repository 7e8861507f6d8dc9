// CEditLine: libedit's native API (histedit.h) with non-variadic wrappers Swift can call.
#include <stdio.h>
#include <locale.h>
#include <signal.h>
#include <histedit.h>
