// RandomStream: published xoshiro256** values, seeding through SplitMix64/FNV-1a, normals, shuffles, dropout masks.
import Foundation
import Testing
import TensorCore
import TestSupport

struct RandomReference: Decodable {
    var state1234: [String]
    var seed42_init: [String]
    var seed42_dropout: [String]
    var fnv1a64_init: String
    var seed7_floats: [Float]
    var seed7_normal: [Double]
}

func randomReference() throws -> RandomReference {
    let data = try Data(contentsOf: TestPaths.fixtures().appendingPathComponent("rng.json"))
    return try JSONDecoder().decode(RandomReference.self, from: data)
}

@Test func xoshiroMatchesTheReferenceAlgorithm() throws {
    // State {1, 2, 3, 4}: the first outputs of the reference C code are 11520, 0, 1509978240, 1215971899390074240.
    var generator = RandomStream(state: (1, 2, 3, 4))
    let draws = (0..<6).map { _ in generator.next() }
    #expect(Array(draws.prefix(4)) == [11520, 0, 1_509_978_240, 1_215_971_899_390_074_240])
    let reference = try randomReference()
    #expect(draws.map(String.init) == reference.state1234)
}

@Test func namedStreamsMatchTheIndependentPythonImplementation() throws {
    let reference = try randomReference()
    #expect(String(fnv1a64("init")) == reference.fnv1a64_init)
    var initStream = RandomStream(seed: 42, stream: "init")
    #expect((0..<6).map { _ in String(initStream.next()) } == reference.seed42_init)
    var dropoutStream = RandomStream(seed: 42, stream: "dropout")
    #expect((0..<3).map { _ in String(dropoutStream.next()) } == reference.seed42_dropout)
    var floats = RandomStream(seed: 7)
    #expect((0..<4).map { _ in floats.nextFloat() } == reference.seed7_floats)
    var normals = RandomStream(seed: 7, stream: "normal")
    let drawn = (0..<4).map { _ in normals.nextNormal() }
    #expect(zip(drawn, reference.seed7_normal).allSatisfy { Swift.abs($0 - $1) <= 1e-12 * max(1, Swift.abs($1)) })
}

@Test func drawsAreDeterministicAndWellDistributed() throws {
    var first = RandomStream(seed: 2024, stream: "init")
    var second = RandomStream(seed: 2024, stream: "init")
    let a = Tensor.randn([4096], using: &first), b = Tensor.randn([4096], using: &second)
    #expect(a.scalars == b.scalars)
    let values = a.scalars.map(Double.init)
    let mean = values.reduce(0, +) / Double(values.count)
    let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
    // Standard errors: 1/64 for the mean, about 0.022 for the variance.
    #expect(Swift.abs(mean) < 0.07 && Swift.abs(variance - 1) < 0.1)
    var uniformStream = RandomStream(seed: 1)
    let uniform = Tensor.uniform([2000], low: -2, high: 3, using: &uniformStream).scalars
    #expect(uniform.allSatisfy { $0 >= -2 && $0 < 3 })
    #expect(Swift.abs(uniform.reduce(0, +) / 2000 - 0.5) < 0.15)
    var shuffler = RandomStream(seed: 5, stream: "shuffle")
    let permutation = shuffler.permutation(50)
    #expect(permutation.sorted() == Array(0..<50) && permutation != Array(0..<50))
    var other = RandomStream(seed: 5, stream: "shuffle")
    #expect(other.permutation(50) == permutation)
    #expect(RandomStream(seed: 5, stream: "a").state != RandomStream(seed: 5, stream: "b").state)
}

@Test func dropoutKeepsAboutOneMinusPAndScales() throws {
    var generator = RandomStream(seed: 3, stream: "dropout")
    let dropped = try Tensor.ones([10_000]).dropout(probability: 0.25, using: &generator).scalars
    let kept = dropped.filter { $0 != 0 }
    #expect(kept.allSatisfy { Swift.abs($0 - 4.0 / 3.0) < 1e-6 })
    #expect(Swift.abs(Double(kept.count) / 10_000 - 0.75) < 0.02)
}
