// Train-only regularisers, determinism with fixed seeds, shape errors and the LSTM's one-backward rule.
import NN
import TensorCore
import Testing

@Suite struct ModeTests {
    @Test func dropoutOnlyInTraining() throws {
        let layer = try Dropout(probability: 0.25, generator: RandomStream(seed: 1, stream: "dropout"))
        let x = Tensor.ones([20_000])
        let trained = try layer(x).scalars
        let zeros = trained.filter { $0 == 0 }.count
        // Kept elements are scaled by 1 / (1 - p); about a quarter are dropped (5 sd = 0.015).
        #expect(trained.allSatisfy { $0 == 0 || abs($0 - 4 / 3) < 1e-6 })
        #expect(abs(Double(zeros) / 20_000 - 0.25) < 0.016)
        layer.eval()
        #expect(try layer(x).scalars == x.scalars)
    }

    @Test func noiseOnlyInTrainingWithTheRightSpread() throws {
        let layer = GaussianNoise(standardDeviation: 0.01, generator: RandomStream(seed: 2, stream: "noise"))
        let x = Tensor.zeros([20_000])
        let noisy = try layer(x).scalars.map(Double.init)
        let variance = noisy.reduce(0) { $0 + $1 * $1 } / Double(noisy.count)
        #expect(abs(variance.squareRoot() - 0.01) < 0.0003)
        layer.eval()
        #expect(try layer(x).scalars == x.scalars)
    }

    @Test func fixedSeedsGiveIdenticalMasks() throws {
        let first = try Dropout(probability: 0.5, generator: RandomStream(seed: 3, stream: "dropout"))
        let second = try Dropout(probability: 0.5, generator: RandomStream(seed: 3, stream: "dropout"))
        let x = Tensor.ones([100])
        #expect(try first(x).scalars == second(x).scalars)
        #expect(try first(x).scalars != first(x).scalars, "the stream advances between calls")
    }

    @Test func dropoutGradientFollowsTheMask() throws {
        let layer = try Dropout(probability: 0.5, generator: RandomStream(seed: 4, stream: "dropout"))
        var x = Tensor.ones([64])
        x.requiresGrad = true
        let y = try layer(x)
        try y.sum().backward()
        #expect(try #require(x.grad).scalars == y.scalars, "d sum(y) / dx = mask / (1 - p) = y for x = 1")
    }

    @Test func shapeErrorsNameTheLayer() throws {
        var generator = RandomStream(seed: 5, stream: "shapes")
        let linear = Linear(inputSize: 4, outputSize: 2, using: &generator)
        let linearError = #expect(throws: NNError.self) { try linear(Tensor.zeros([3, 5])) }
        #expect(linearError?.description == "Linear(in: 4, out: 2): expected shape [-1, 4], got [3, 5]")
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, using: &generator)
        let lstmError = #expect(throws: NNError.self) { try lstm(Tensor.zeros([1, 4, 2])) }
        #expect(lstmError?.description == "LSTM(3, 2): expected shape [-1, -1, 3], got [1, 4, 2]")
        #expect(throws: NNError.self) { try MultiheadAttention(embedSize: 6, headCount: 4, using: &generator) }
        let attention = try MultiheadAttention(embedSize: 4, headCount: 2, using: &generator)
        #expect(throws: NNError.self) {
            try attention(query: Tensor.zeros([1, 3, 4]), key: Tensor.zeros([1, 0, 4]), value: Tensor.zeros([1, 0, 4]))
        }
        let keyError = #expect(throws: NNError.self) {
            try attention(query: Tensor.zeros([1, 3, 4]), key: Tensor.zeros([1, 5, 4]), value: Tensor.zeros([1, 4, 4]))
        }
        #expect(keyError?.description == "MultiheadAttention(embed: 4, heads: 2) value: expected shape [1, 5, 4], got [1, 4, 4]")
    }

    @Test func lstmSecondBackwardOverOneForwardThrows() throws {
        var generator = RandomStream(seed: 6, stream: "lstm twice")
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, bidirectional: true, using: &generator)
        let loss = try lstm(Tensor.randn([1, 4, 3], using: &generator)).sum()
        try loss.backward()
        #expect(throws: NNError.self) { try loss.backward() }
    }

    @Test func lstmGradientsAccumulateOverTwoForwards() throws {
        var generator = RandomStream(seed: 7, stream: "lstm accumulate")
        let lstm = LSTM(inputSize: 3, hiddenSize: 2, using: &generator)
        let x = Tensor.randn([2, 4, 3], using: &generator)
        try lstm(x).sum().backward()
        let once = try #require(lstm.directions[0].hiddenWeight.grad).scalars
        try lstm(x).sum().backward()
        let twice = try #require(lstm.directions[0].hiddenWeight.grad).scalars
        #expect(zip(once, twice).allSatisfy { abs(2 * $0 - $1) <= 1e-6 * max(1, abs($1)) })
    }
}
