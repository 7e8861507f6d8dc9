// Decodes the scikit-learn / SciPy reference values in Fixtures/evaluation.json.

import Foundation
import TestSupport

struct EvaluationFixtures: Decodable {
    struct AtThreshold: Decodable {
        var tau: Double
        var tp: Int, fp: Int, tn: Int, fn: Int
        var precision: Double, recall: Double, f1: Double, accuracy: Double, specificity: Double
    }

    struct Classification: Decodable {
        var name: String
        var scores: [Double]
        var labels: [Bool]
        var rocFpr: [Double], rocTpr: [Double], rocThresholdsAfterInf: [Double]
        var rocAllFpr: [Double], rocAllTpr: [Double]
        var rocAuc: Double
        var prPrecision: [Double], prRecall: [Double], prThresholds: [Double]
        var averagePrecision: Double
        var atThresholds: [AtThreshold]
        var f1BestTau: Double, f1Best: Double
        var youdenSklearnThreshold: Double, youdenJ: Double
    }

    struct Percentiles: Decodable {
        var values: [Double]
        var p: [Double]
        var expected: [Double]
    }

    struct GPD: Decodable {
        var name: String
        var excesses: [Double]
        var scipyShape: Double, scipyScale: Double, scipyLogLikelihood: Double
        var tightShape: Double, tightScale: Double, tightLogLikelihood: Double
    }

    struct POT: Decodable {
        var name: String
        var scores: [Double]
        var initialQuantile: Double, risk: Double, u: Double
        var excessCount: Int
        var gpd: GPD
        var tauScipy: Double, tauTight: Double
    }

    var classification: [Classification]
    var percentiles: [Percentiles]
    var gpd: [GPD]
    var pot: [POT]

    static let shared: Result<EvaluationFixtures, Error> = Result {
        let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent("evaluation.json"))
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(EvaluationFixtures.self, from: data)
    }

    static func load() throws -> EvaluationFixtures { try shared.get() }
}
