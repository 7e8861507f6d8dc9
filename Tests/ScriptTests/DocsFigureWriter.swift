// Writes the figure and report that docs/score-figure.png and docs/report.png are screenshots of, when
// ECGS_DOCS_DIR names a folder (scripts/docs-screenshots.sh sets it); skipped otherwise.
import Commands
import ECGKit
import Foundation
import Script
import Testing
import TestSupport

@Suite struct DocsFigureWriter {
    static let folder = ProcessInfo.processInfo.environment["ECGS_DOCS_DIR"]

    @Test(.enabled(if: folder != nil, "set ECGS_DOCS_DIR to write the documentation figures"))
    func writeScoreFigureAndReport() throws {
        let folder = try #require(Self.folder)
        let results = try ScoredRecords.results.get()
        let trained = TrainedModel(try ScoredRecords.publishedModel(), sizeName: "reference",
                                   origin: "import_torch(\"shared/data/seed/best_cae_model.pth\")",
                                   trainingData: "the thesis' normal training records (published weights)",
                                   threshold: results[0].threshold)
        let output = CapturedOutput()
        let interpreter = ScoredRecords.session([
            "s": .object(ScoreValue(.record(results[0]))),
            "results": .list(results.prefix(8).map { .object(ScoreValue(.record($0))) }),
            "m": .object(ModelValue(trained)),
        ], output: output)
        try ScoredRecords.run(interpreter, """
            plot(s, "\(folder)/score-figure.svg", leads=[2, 5, 9])
            report(results, "\(folder)/report.html", model=m, title="CPSC 2018 A0001-A0008 scored by the published CAE")
            """)
        #expect(output.text.contains("score-figure.svg (3 lead panels)"))
    }
}
