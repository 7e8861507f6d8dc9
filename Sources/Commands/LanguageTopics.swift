// Help topics for the language itself and its built-in value types.
import Script

/// `help language` and `help number|string|bool|list|none`.
func languageTopics() -> [HelpTopic] {
    [
        HelpTopic(name: "language", summary: "The ecgs syntax: statements, calls, pipelines, command form.", text: """
            Statements end at a newline or ';'. '#' starts a comment. An open bracket, an open
            string, a trailing operator or a trailing '\\' continues the statement on the next line.

              x = 1 + 2 * 3               assignment; a failing statement changes nothing
              f(a, b, key=value)          call with positional and named arguments
              a |> f(b)                   pipeline: the same as f(a, b); 'a |> f' is f(a)
              s.score                     field of a value
              t[0, :, 2:5]  t[-1]  t[::2] indexing and slicing (negative = from the end)
              r["II"]  d["A0001"]         a part by name (a record's lead, a dataset's record)
              + - * / % ^ (or **)         arithmetic; '-2^2' is -4; element-wise on tensors
              == != < <= > >=             comparisons
              and or not                  logic on true/false
              [1, 2, 3]  "text"  'text'   lists and strings (escapes \\n \\t \\\\ \\" \\u{41})
              true false none             constants

            Command form. A statement that starts with a command marked 'command form' in its
            help (help, seed, whos, clear, show, print, source, time, history, quit …) followed
            on the same line by a name, number, string, true/false/none/not, or a '[' or '-'
            written after a space, passes the rest of the line as its arguments without
            parentheses, separated by commas or spaces:
              help fit        seed 42        clear a, b        time sum(range(1000))
            Anything else after the verb ('(', '=', '.', an operator) is ordinary syntax, and a
            verb alone on its line runs it with no arguments ('whos'). Command-form verbs
            cannot be assigned to.

            Values print as one line. Numbers: whole values without '.0' (12); others with up
            to 7 significant digits (0.1, 3.141593); below 1e-3 or from 1e7 as 5e-4, 1.5e9.
            """, isType: false),
        HelpTopic(name: "number", summary: "A 64-bit floating-point number.", text: """
            number: a 64-bit floating-point value, written 42, 0.5, 5e-4, 1.5E+3.
            Prints whole values without '.0' and others with up to 7 significant digits;
            scientific notation below 1e-3 and from 1e7 (5e-4). inf and nan print as such.
            Arithmetic: + - * / % ^; '%' takes the sign of the divisor; 1/0 is inf.
            """),
        HelpTopic(name: "string", summary: "Text in double or single quotes.", text: """
            string: UTF-8 text in "double" or 'single' quotes, escapes \\n \\t \\r \\\\ \\" \\' \\u{41}.
            '+' joins strings, comparisons order them, s[0] and s[1:3] pick characters.
            str(x) turns a value into a string; len(s) counts characters.
            """),
        HelpTopic(name: "bool", summary: "true or false.", text: """
            bool: true or false, the result of comparisons. 'and', 'or', 'not' need bools
            (no truthiness: 'not 0' is an error).
            """),
        HelpTopic(name: "list", summary: "An ordered list of values: [1, \"a\", true].", text: """
            list: [a, b, c]; items may have any type. xs[0], xs[-1], xs[1:3], xs[::-1] index and
            slice; '+' joins lists; len, sum, mean, min, max work on lists of numbers;
            abs, sqrt, exp, log, round, floor, ceil apply element-wise.
            """),
        HelpTopic(name: "none", summary: "The absence of a value.", text: """
            none: what commands that only print or change state return. It is not printed at
            the prompt; optional parameters left out are none.
            """),
    ]
}
