// EditLineReader: the terminal LineReader on libedit's native API (through CEditLine):
// emacs keys, ~/.editrc, Ctrl-R search, TAB completion and the persistent history file.
import CEditLine
import Foundation
import Script

/// Reads lines with libedit. Use only when stdin and stdout are terminals.
public final class EditLineReader: LineReader {
    private let editLine: OpaquePointer
    private let history: OpaquePointer
    private var event = HistEvent()
    /// The prompt libedit shows; owned here so the pointer stays valid between calls.
    private var promptBuffer: UnsafeMutablePointer<CChar>
    private let completer: Completer
    private let historyFile: HistoryFile?
    /// The entry added last, to skip immediate repeats in the file.
    private var lastEntry: String?

    /// Sets up libedit on stdin/stdout and loads the history file (entries entered with H_ENTER).
    /// Returns nil when libedit cannot initialise the terminal.
    public init?(completer: Completer, historyFile: HistoryFile?) {
        EditLineReader.configureLocale()
        guard let editLine = el_init("ecgs", ecg_stdin(), ecg_stdout(), ecg_stderr()) else { return nil }
        guard let history = history_init() else {
            el_end(editLine)
            return nil
        }
        self.editLine = editLine
        self.history = history
        self.completer = completer
        self.historyFile = historyFile
        self.promptBuffer = strdup(REPLLoop.prompt) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        ecg_history_set_size(history, &event, 10_000)
        ecg_history_set_unique(history, &event, 1)
        let loaded = historyFile?.load() ?? []
        for entry in loaded { ecg_history_enter(history, &event, entry) }
        lastEntry = loaded.last

        ecg_el_set_editor(editLine, "emacs")
        // Our SIGINT handler alone (installed without SA_RESTART) makes el_gets return EINTR;
        // libedit's own handlers re-raise signals to the process group and proved less reliable.
        // libedit re-reads the terminal size at each el_gets, so a resize shows at the next prompt.
        ecg_el_set_signal(editLine, 0)
        ecg_el_set_hist(editLine, history)
        ecg_el_set_clientdata(editLine, Unmanaged.passUnretained(self).toOpaque())
        ecg_el_set_prompt(editLine) { editLine in
            guard let editLine, let data = ecg_el_get_clientdata(editLine) else { return nil }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().promptBuffer
        }
        ecg_el_addfn(editLine, "ecgs-complete", "Complete the word before the cursor") { editLine, _ in
            guard let editLine, let data = ecg_el_get_clientdata(editLine) else { return UInt8(CC_ERROR) }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().completeWord()
        }
        ecg_el_set_read_function(editLine) { editLine, character in
            guard let editLine, let character, let data = ecg_el_get_clientdata(editLine) else { return -1 }
            return Unmanaged<EditLineReader>.fromOpaque(data).takeUnretainedValue().readCharacter(into: character)
        }
        ecg_el_bind(editLine, "^I", "ecgs-complete")
        ecg_el_bind(editLine, "^R", "em-inc-search-prev")
        // The user's ~/.editrc may override the bindings above.
        el_source(editLine, nil)
    }

    deinit {
        el_end(editLine)
        history_end(history)
        free(promptBuffer)
    }

    /// libedit drops non-ASCII input unless LC_CTYPE names a UTF-8 locale.
    private static func configureLocale() {
        let current = setlocale(LC_CTYPE, "").map { String(cString: $0) } ?? "C"
        if current == "C" || current == "POSIX" || !current.uppercased().contains("UTF") {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { _ = setlocale(LC_CTYPE, "C.utf8") }
        }
    }

    public var isInteractive: Bool { true }

    public func readLine(prompt: String) -> LineInput {
        free(promptBuffer)
        promptBuffer = strdup(prompt) ?? UnsafeMutablePointer<CChar>.allocate(capacity: 1)
        // A Ctrl-C pressed while a command ran is not meant for this new prompt.
        InterruptHandler.drainWakeups()
        var count: Int32 = 0
        guard let line = el_gets(editLine, &count) else {
            let wasEmpty = el_line(editLine).map { $0.pointee.lastchar == $0.pointee.buffer } ?? true
            el_reset(editLine)
            if count < 0, wasEmpty, prompt == REPLLoop.prompt {
                // Ctrl-C never exits (people press it repeatedly to stop work); say what does.
                let hint: StaticString = "\n(Ctrl-D or 'quit' to exit)"
                _ = write(1, hint.utf8Start, hint.utf8CodeUnitCount)
            }
            // Ctrl-C (EINTR, count -1) or Ctrl-D (count 0): finish the screen line either way.
            _ = write(1, "\n", 1)
            return count < 0 ? .interrupted : .endOfInput
        }
        var text = String(cString: line)
        if text.hasSuffix("\n") { text.removeLast() }
        return .line(text)
    }

    public func addHistory(_ entry: String) {
        ecg_history_enter(history, &event, entry)
        // Like H_SETUNIQUE in memory: an entry repeated at once is stored once.
        if entry != lastEntry { historyFile?.append(entry) }
        lastEntry = entry
    }

    /// libedit's character reader, replaced so Ctrl-C is never lost: it waits on the terminal
    /// and on the wake-up pipe together, so a Ctrl-C that lands before the wait still ends it
    /// (libedit's own read would block until the next key). Decodes UTF-8 into one character.
    private func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var descriptors = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: InterruptHandler.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        while true {
            if InterruptHandler.drainWakeups() {
                errno = EINTR
                return -1
            }
            let ready = poll(&descriptors, descriptors[1].fd >= 0 ? 2 : 1, -1)
            if ready < 0 {
                if errno == EINTR { continue }
                return -1
            }
            if descriptors[1].revents != 0, descriptors[1].fd >= 0 { continue }
            guard descriptors[0].revents != 0 else { continue }
            var lead: UInt8 = 0
            let count = read(0, &lead, 1)
            if count == 0 { return 0 }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return -1
            }
            guard let scalar = decodeUTF8(lead: lead) else { continue }
            character.pointee = wchar_t(scalar.value)
            return 1
        }
    }

    /// Reads the continuation bytes of a UTF-8 sequence starting with `lead`; nil when invalid.
    private func decodeUTF8(lead: UInt8) -> Unicode.Scalar? {
        let length = lead < 0x80 ? 1 : lead >> 5 == 0b110 ? 2 : lead >> 4 == 0b1110 ? 3 : lead >> 3 == 0b11110 ? 4 : 0
        guard length > 0 else { return nil }
        var bytes = [lead]
        while bytes.count < length {
            var next: UInt8 = 0
            let count = read(0, &next, 1)
            if count < 0, errno == EINTR { continue }
            guard count == 1, next & 0xC0 == 0x80 else { return nil }
            bytes.append(next)
        }
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    /// The TAB handler: inserts the longest common continuation; when there is none to add,
    /// lists the candidates below the line and redraws it.
    private func completeWord() -> UInt8 {
        guard let info = el_line(editLine) else { return UInt8(CC_ERROR) }
        let length = info.pointee.lastchar - info.pointee.buffer
        let cursor = info.pointee.cursor - info.pointee.buffer
        let line = info.pointee.buffer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
        let completion = completer.complete(line: line, cursor: cursor)
        guard !completion.candidates.isEmpty else { return UInt8(CC_ERROR) }
        let common = completion.commonPrefix
        if common.utf8.count > completion.prefix.utf8.count {
            let addition = String(common.utf8.dropFirst(completion.prefix.utf8.count)) ?? ""
            guard el_insertstr(editLine, addition) == 0 else { return UInt8(CC_ERROR) }
            return UInt8(CC_REFRESH)
        }
        if completion.candidates.count == 1 { return UInt8(CC_REFRESH) }
        listCandidates(completion.candidates)
        return UInt8(CC_REDISPLAY)
    }

    /// Prints candidates in columns fitting the terminal width.
    private func listCandidates(_ candidates: [String]) {
        let width = (candidates.map(\.count).max() ?? 1) + 2
        let columns = max(1, Int(ecg_el_columns(editLine)) / width)
        var text = "\n"
        for (index, candidate) in candidates.enumerated() {
            let isLast = index % columns == columns - 1 || index == candidates.count - 1
            text += isLast ? candidate + "\n" : candidate.padding(toLength: width, withPad: " ", startingAt: 0)
        }
        _ = text.withCString { write(1, $0, strlen($0)) }
    }
}
