// Record, dataset and plot commands run through an interpreter: SVG structure parsed with
// FoundationXML, Ctrl-C during long work, labels CSV datasets, and the progress reporter.
import Commands
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Script
import Testing
import TestSupport

/// An interpreter with every command, writing into `output`.
private func session(_ output: any Output = CapturedOutput(), interruption: Interruption = Interruption()) -> Interpreter {
    Interpreter(registry: makeCommandRegistry(), output: output, interruption: interruption)
}

/// Runs `text` as a script in `interpreter`.
private func run(_ interpreter: Interpreter, _ text: String) throws {
    try interpreter.run(Source(name: "test", text: text))
}

/// A fresh temporary folder, removed by the caller.
private func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("ecgs-recordcmds-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// The elements of `svg` with attribute `name` equal to `value`.
private func elements(in svg: String, where name: String, is value: String) throws -> [XMLElement] {
    let document = try XMLDocument(xmlString: svg)
    return try document.nodes(forXPath: "//*[@\(name)='\(value)']").compactMap { $0 as? XMLElement }
}

/// The value of attribute `name` of `element` (looked up by name: FoundationXML on Linux does not
/// find attributes of elements in the SVG default namespace with `attribute(forName:)`).
private func attribute(_ element: XMLElement, _ name: String) -> String? {
    element.attributes?.first { $0.name == name || $0.localName == name }?.stringValue
}

@Test func recordPlotHasOnePanelPerLeadAlongTimeInSeconds() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let path = folder.appendingPathComponent("r.svg").path
    let interpreter = session()
    try run(interpreter, """
        r = load("\(TestPaths.shared("ecg12/cpsc2018/A0001").path)")
        plot(r, "\(path)", leads=["II", "V1", "aVF"])
        """)
    let svg = try String(contentsOfFile: path, encoding: .utf8)
    let panels = try elements(in: svg, where: "class", is: "lead-panel")
    #expect(panels.map { attribute($0, "data-lead") } == ["II", "V1", "aVF"])
    #expect(panels.map { attribute($0, "y") } == ["26", "146", "266"])
    // 7500 samples at 500 Hz: the time axis runs 0 to 15 s on every panel, labelled once.
    let xTicks = try elements(in: svg, where: "class", is: "tick x-tick")
    #expect(xTicks.count % 3 == 0)
    let tickValues = xTicks.compactMap { attribute($0, "data-value") }
    #expect(tickValues.contains("15.0"))
    let axisLabels = try elements(in: svg, where: "class", is: "axis-label").compactMap(\.stringValue)
    #expect(axisLabels.filter { $0 == "time (s)" }.count == 1)
    #expect(try elements(in: svg, where: "class", is: "title").first?.stringValue == "A0001")
    // Each lead's line is decimated to at most 2400 points but keeps the extremes.
    let series = try elements(in: svg, where: "class", is: "series")
    #expect(series.count == 3)
}

@Test func tensorPlotsAreALineOrAHeatMapWithAColourBar() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let interpreter = session()
    try run(interpreter, """
        plot(reshape(arange(12), 3, 4), "\(folder.path)/h.svg", title="grid")
        plot(arange(10), "\(folder.path)/l.svg")
        """)
    let heat = try String(contentsOfFile: folder.path + "/h.svg", encoding: .utf8)
    #expect(try elements(in: heat, where: "class", is: "cell").count == 12)
    #expect(heat.contains("heat-map-gradient"))
    let line = try String(contentsOfFile: folder.path + "/l.svg", encoding: .utf8)
    #expect(try elements(in: line, where: "class", is: "series").count == 1)
}

@Test func datasetPlotShowsOnePanelPerRecordUpToEight() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let interpreter = session()
    try run(interpreter, "plot(synth(10, seed=3), \"\(folder.path)/d.svg\", leads=\"V1\")")
    let svg = try String(contentsOfFile: folder.path + "/d.svg", encoding: .utf8)
    let panels = try elements(in: svg, where: "class", is: "lead-panel")
    #expect(panels.count == 8)
    #expect(Set(panels.compactMap { attribute($0, "data-lead") }) == ["V1"])
}

/// A terminal-like output that asks the interpreter to stop the first time progress is drawn.
private final class InterruptingTerminal: Output {
    let isTerminal = true
    let interruption: Interruption
    var text = ""
    init(_ interruption: Interruption) { self.interruption = interruption }
    func write(_ text: String) {
        self.text += text
        interruption.request()
    }
}

@Test func ctrlCStopsSynthesisAndLeavesTheVariableUnchanged() throws {
    let interruption = Interruption()
    let output = InterruptingTerminal(interruption)
    let interpreter = session(output, interruption: interruption)
    try run(interpreter, "d = 1")
    #expect(throws: Interrupted.self) { try run(interpreter, "d = synth(3000, duration=1, seed=1)") }
    guard case .number(1) = interpreter.variables["d"] else {
        Issue.record("d changed after Ctrl-C: \(interpreter.variables["d"]?.summary ?? "unset")")
        return
    }
    #expect(output.text.hasPrefix("\rsynth ["))
    #expect(output.text.hasSuffix("\r"))
}

@Test func ctrlCStopsDatasetLoading() throws {
    let interruption = Interruption()
    let output = InterruptingTerminal(interruption)
    let interpreter = session(output, interruption: interruption)
    try run(interpreter, "d = 1")
    // Reading takes longer than one redraw interval, so the bar is drawn and the next record stops it.
    #expect(throws: Interrupted.self) {
        try run(interpreter, "d = dataset(\"\(TestPaths.shared("ecg12/ningbo").path)\", preprocess=true)")
    }
    guard case .number(1) = interpreter.variables["d"] else {
        Issue.record("d changed after Ctrl-C")
        return
    }
}

@Test func labelsCSVListsRecordsRelativeToItsFolder() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try FileManager.default.createSymbolicLink(at: folder.appendingPathComponent("ecg12"),
                                               withDestinationURL: TestPaths.shared("ecg12"))
    try "record,label\necg12/chapman_shaoxing/JS00008,0\necg12/ningbo/JS20000,1\necg12/ptbxl/HR00001,0\n"
        .write(to: folder.appendingPathComponent("mine.csv"), atomically: true, encoding: .utf8)
    let output = CapturedOutput()
    let interpreter = session(output)
    try run(interpreter, "d = dataset(\"\(folder.path)/mine.csv\")\nd\nd.names\nd.labels")
    #expect(output.take() == """
        dataset mine  3 records (2 normal, 1 abnormal)
        ["JS00008", "JS20000", "HR00001"]
        [0, 1, 0]

        """)
}

@Test func progressLogsPlainLinesOnlyAfterTheLogInterval() {
    let output = CapturedOutput()
    var now = 100.0
    let progress = ProgressReporter(output: output, label: "dataset", unit: "records", clock: { now })
    now = 104
    progress.update(done: 10, total: 100)
    #expect(output.take() == "")
    now = 110.5
    progress.update(done: 40, total: 100)
    // 40 records in 10.5 s: 3.8/s, 60 left take 15.75 s.
    #expect(output.take() == "dataset: 40/100 records (40%)  3.8/s  15.75 s left\n")
    now = 112
    progress.update(done: 50, total: 100)
    #expect(output.take() == "")
    progress.finish()
    #expect(output.take() == "")
}

/// A terminal that records writes.
private final class RecordingTerminal: Output {
    let isTerminal = true
    var text = ""
    func write(_ text: String) { self.text += text }
}

@Test func progressBarRedrawsInPlaceAndIsErasedAtTheEnd() {
    let output = RecordingTerminal()
    var now = 0.0
    let progress = ProgressReporter(output: output, label: "fit", unit: "batches", clock: { now })
    now = 2
    progress.update(done: 4, total: 16)
    let line = "fit [####------------]  4/16 batches  2.0/s  6.00 s left"
    #expect(output.text == "\r" + line)
    now = 2.05
    progress.update(done: 5, total: 16)
    #expect(output.text == "\r" + line)
    now = 8
    progress.update(done: 16, total: 16)
    let last = "fit [################]  16/16 batches  2.0/s"
    #expect(output.text == "\r" + line + "\r" + last + String(repeating: " ", count: line.count - last.count))
    progress.finish()
    #expect(output.text.hasSuffix("\r" + String(repeating: " ", count: last.count) + "\r"))
}
