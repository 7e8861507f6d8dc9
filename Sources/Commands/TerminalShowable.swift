// Values whose `show` rendering can use ANSI colours: `show` asks for colours only on a terminal.
import Script

/// A value with a coloured rendering for terminals (and its plain `show()` for everything else).
public protocol TerminalShowable: ScriptObject {
    /// The multi-line rendering, with ANSI colour codes when `ansiColour` is true.
    func show(ansiColour: Bool) -> String
}
