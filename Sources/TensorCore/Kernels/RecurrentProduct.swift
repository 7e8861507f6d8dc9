// RecurrentProduct: one LSTM time step's gate pre-activations `b + x_t W_ih^T + h_{t-1} W_hh^T` on
// [W_ih | W_hh] packed once per call (OpenBLAS has no packed-B API and re-packs W_hh at every step),
// plus its naive twin.

/// `[W_ih | W_hh]: [4H, I + H]` repacked for the per-step product.
///
/// Hidden units are grouped by 8; group `u` holds, for every `k` in `0..<I+H`, the 32 weights
/// `W[g*H + 8u + l, k]` for gates `g` in i, f, g, o and lanes `l` in `0..<8` (zero past `H`), where
/// `W` is `W_ih` for `k < I` and `W_hh` (column `k - I`) after, so that the product's inner loop
/// reads one contiguous 128-byte line per `k`. Memory: `ceil(H/8) * 32 * (I + H)` floats.
public final class PackedRecurrentWeight: @unchecked Sendable {
    public let inputSize: Int
    public let hiddenSize: Int
    /// `I + H`, the product's depth.
    var depth: Int { inputSize + hiddenSize }
    /// Number of 8-unit groups, `ceil(H / 8)`.
    let groupCount: Int
    let values: UnsafeMutablePointer<Float>

    /// Allocates the packed buffer for `inputSize` and `hiddenSize`; fill it with `pack`.
    public init(inputSize: Int, hiddenSize: Int) {
        self.inputSize = inputSize
        self.hiddenSize = hiddenSize
        groupCount = (hiddenSize + 7) / 8
        values = .allocate(capacity: Swift.max(1, groupCount * 32 * (inputSize + hiddenSize)))
    }

    deinit { values.deallocate() }

    /// Packs `inputWeight: [4H, I]` and `hiddenWeight: [4H, H]` (PyTorch `weight_ih_l0`,
    /// `weight_hh_l0`, row-major).
    public func pack(inputWeight: UnsafePointer<Float>, hiddenWeight: UnsafePointer<Float>) {
        let hidden = hiddenSize, inputs = inputSize, depth = self.depth
        for group in 0..<groupCount {
            let panel = values + group * 32 * depth
            for gate in 0..<4 {
                for lane in 0..<8 {
                    let unit = group * 8 + lane
                    let column = gate * 8 + lane
                    if unit < hidden {
                        let inputRow = inputWeight + (gate * hidden + unit) * inputs
                        for k in 0..<inputs { panel[k * 32 + column] = inputRow[k] }
                        let hiddenRow = hiddenWeight + (gate * hidden + unit) * hidden
                        for k in 0..<hidden { panel[(inputs + k) * 32 + column] = hiddenRow[k] }
                    } else {
                        for k in 0..<depth { panel[k * 32 + column] = 0 }
                    }
                }
            }
        }
    }
}

/// One LSTM time step's gate pre-activations (reference: `torch.nn.LSTM`'s
/// `x W_ih^T + b_ih + h W_hh^T + b_hh`), input projection and recurrent product in one pass.
///
/// `gates[r] = bias + [input[r], hidden[r]] x [W_ih | W_hh]^T` for `rows` rows: `input` rows `[I]`
/// at `inputRowStride`, `hidden` rows `[H]` at `hiddenRowStride` (nil: a zero state, the first
/// step), `bias: [4H]` (`b_ih + b_hh`; nil: accumulate onto the values already in `gates`, e.g. an
/// input projection done beforehand by one large GEMM), `gates` rows `[4H]` (gate blocks i, f, g, o)
/// at `gatesRowStride`. Register-blocked AVX2/FMA kernels of 3 rows x 32 gate columns (12
/// accumulators of 8 lanes) and 2 rows x 32 (for the remainder, so that 19 rows cost 19 rows of
/// work) over the packed weight. The rows are first copied k-interleaved into `panel` (the LSTM's
/// rows lie megabytes apart). Each 8-unit weight panel (`32 (I + H)` floats, 64 KiB at `H` = 512,
/// `I` = 0) is run over its whole depth (chunks of 512) by all row tiles in turn, so it streams
/// once from L3 and then stays in L2: measured on the [19, 2048, 512] step shape, depth chunks of
/// 128 / 256 / 512 took 22.5 / 22.9 / 21.5 ms per 50 steps (CPU time, one core).
public enum RecurrentProduct {
    static let depthChunk = 512

    /// Floats of `panel` scratch that `gates` needs for `rows` rows of `weight`'s sizes.
    public static func panelCount(rows: Int, weight: PackedRecurrentWeight) -> Int { Swift.max(2, rows) * weight.depth }

    /// The row tiles for `rows` rows: (first row, row count 3 or 2); one row is a 2-row tile
    /// repeating it (the repeat computes the same values into the same addresses).
    static func tiles(rows: Int) -> [(start: Int, count: Int)] {
        if rows == 1 { return [(0, 2)] }
        var threes = rows / 3, twos = 0
        switch rows % 3 {
        case 1: threes -= 1; twos = 2
        case 2: twos = 1
        default: break
        }
        return (0..<threes).map { ($0 * 3, 3) } + (0..<twos).map { (threes * 3 + $0 * 2, 2) }
    }

    /// Writes `gates[r, g*H + j] = bias[g*H + j] + sum_k [input, hidden][r, k] * W[g*H + j, k]`
    /// for `r` in `0..<rows` (`gates[r, g*H + j] +=` the sum when `bias` is nil; see the type's
    /// documentation). `panel`: scratch of
    /// `panelCount(rows:weight:)` floats.
    public static func gates(
        rows: Int, input: UnsafePointer<Float>, inputRowStride: Int,
        hidden: UnsafePointer<Float>?, hiddenRowStride: Int, bias: UnsafePointer<Float>?,
        gates: UnsafeMutablePointer<Float>, gatesRowStride: Int, weight: PackedRecurrentWeight,
        panel: UnsafeMutablePointer<Float>
    ) {
        let size = weight.hiddenSize, inputs = weight.inputSize, fullDepth = weight.depth
        guard rows > 0, size > 0 else { return }
        let usedDepth = hidden == nil ? inputs : fullDepth
        let tileList = tiles(rows: rows)
        // Panel of tile (start, n): n * usedDepth floats at start * fullDepth, entry (k, i) =
        // input[start + i, k] for k < I, hidden[start + i, k - I] after.
        for (start, count) in tileList {
            let tilePanel = panel + start * fullDepth
            for lane in 0..<count {
                let row = Swift.min(start + lane, rows - 1)
                let inputRow = input + row * inputRowStride
                for k in 0..<inputs { tilePanel[k * count + lane] = inputRow[k] }
                if let hidden {
                    let hiddenRow = hidden + row * hiddenRowStride
                    for k in 0..<size { tilePanel[(inputs + k) * count + lane] = hiddenRow[k] }
                }
            }
        }
        for group in 0..<weight.groupCount {
            let units = Swift.min(8, size - group * 8)
            let groupBias = bias.map { $0 + group * 8 }
            var depthStart = 0
            repeat {
                let depth = Swift.min(depthChunk, usedDepth - depthStart)
                let weightPanel = UnsafePointer(weight.values + (group * fullDepth + depthStart) * 32)
                for (start, count) in tileList {
                    let tilePanel = UnsafePointer(panel + start * fullDepth + depthStart * count)
                    let first = gates + start * gatesRowStride + group * 8
                    let second = gates + Swift.min(start + 1, rows - 1) * gatesRowStride + group * 8
                    let third = count == 3 ? gates + (start + 2) * gatesRowStride + group * 8 : second
                    // The first chunk starts from the bias when given; later chunks, and calls without
                    // a bias, from the values in `gates`.
                    let initial: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>)
                    if depthStart == 0, let groupBias {
                        initial = (groupBias, groupBias, groupBias)
                    } else {
                        initial = (UnsafePointer(first), UnsafePointer(second), UnsafePointer(third))
                    }
                    if count == 3 {
                        tile3(hidden: tilePanel, initial: initial, gates: (first, second, third),
                              gateStride: size, units: units, weight: weightPanel, depth: depth)
                    } else {
                        tile2(hidden: tilePanel, initial: (initial.0, initial.1), gates: (first, second),
                              gateStride: size, units: units, weight: weightPanel, depth: depth)
                    }
                }
                depthStart += depth
            } while depthStart < usedDepth
        }
    }

    /// One 3 x 32 tile over `depth` values of `k`: loads the 12 accumulators from `initial`
    /// (gate `g` of row `r` at `initial.r + g * gateStride`, `units` valid lanes), runs the FMAs
    /// with `hidden[3k + r]` and the weight line `k`, stores them to `gates` (same layout).
    @inline(__always)
    static func tile3(
        hidden: UnsafePointer<Float>,
        initial: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafePointer<Float>),
        gates: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
        gateStride: Int, units: Int, weight: UnsafePointer<Float>, depth: Int
    ) {
        var a00 = load8(initial.0, units), a01 = load8(initial.0 + gateStride, units)
        var a02 = load8(initial.0 + 2 * gateStride, units), a03 = load8(initial.0 + 3 * gateStride, units)
        var a10 = load8(initial.1, units), a11 = load8(initial.1 + gateStride, units)
        var a12 = load8(initial.1 + 2 * gateStride, units), a13 = load8(initial.1 + 3 * gateStride, units)
        var a20 = load8(initial.2, units), a21 = load8(initial.2 + gateStride, units)
        var a22 = load8(initial.2 + 2 * gateStride, units), a23 = load8(initial.2 + 3 * gateStride, units)
        var line = UnsafeRawPointer(weight)
        var h = hidden
        for _ in 0..<depth {
            let x0 = SIMD8<Float>(repeating: h[0]), x1 = SIMD8<Float>(repeating: h[1])
            let x2 = SIMD8<Float>(repeating: h[2])
            let w0 = line.loadUnaligned(as: SIMD8<Float>.self)
            a00 = a00.addingProduct(x0, w0); a10 = a10.addingProduct(x1, w0); a20 = a20.addingProduct(x2, w0)
            let w1 = line.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            a01 = a01.addingProduct(x0, w1); a11 = a11.addingProduct(x1, w1); a21 = a21.addingProduct(x2, w1)
            let w2 = line.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            a02 = a02.addingProduct(x0, w2); a12 = a12.addingProduct(x1, w2); a22 = a22.addingProduct(x2, w2)
            let w3 = line.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            a03 = a03.addingProduct(x0, w3); a13 = a13.addingProduct(x1, w3); a23 = a23.addingProduct(x2, w3)
            line += 128
            h += 3
        }
        store8(a00, gates.0, units); store8(a01, gates.0 + gateStride, units)
        store8(a02, gates.0 + 2 * gateStride, units); store8(a03, gates.0 + 3 * gateStride, units)
        store8(a10, gates.1, units); store8(a11, gates.1 + gateStride, units)
        store8(a12, gates.1 + 2 * gateStride, units); store8(a13, gates.1 + 3 * gateStride, units)
        store8(a20, gates.2, units); store8(a21, gates.2 + gateStride, units)
        store8(a22, gates.2 + 2 * gateStride, units); store8(a23, gates.2 + 3 * gateStride, units)
    }

    /// The 2 x 32 variant of `tile3` (8 accumulators, `hidden[2k + r]`).
    @inline(__always)
    static func tile2(
        hidden: UnsafePointer<Float>, initial: (UnsafePointer<Float>, UnsafePointer<Float>),
        gates: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
        gateStride: Int, units: Int, weight: UnsafePointer<Float>, depth: Int
    ) {
        var a00 = load8(initial.0, units), a01 = load8(initial.0 + gateStride, units)
        var a02 = load8(initial.0 + 2 * gateStride, units), a03 = load8(initial.0 + 3 * gateStride, units)
        var a10 = load8(initial.1, units), a11 = load8(initial.1 + gateStride, units)
        var a12 = load8(initial.1 + 2 * gateStride, units), a13 = load8(initial.1 + 3 * gateStride, units)
        var line = UnsafeRawPointer(weight)
        var h = hidden
        for _ in 0..<depth {
            let x0 = SIMD8<Float>(repeating: h[0]), x1 = SIMD8<Float>(repeating: h[1])
            let w0 = line.loadUnaligned(as: SIMD8<Float>.self)
            let w1 = line.loadUnaligned(fromByteOffset: 32, as: SIMD8<Float>.self)
            let w2 = line.loadUnaligned(fromByteOffset: 64, as: SIMD8<Float>.self)
            let w3 = line.loadUnaligned(fromByteOffset: 96, as: SIMD8<Float>.self)
            a00 = a00.addingProduct(x0, w0); a10 = a10.addingProduct(x1, w0)
            a01 = a01.addingProduct(x0, w1); a11 = a11.addingProduct(x1, w1)
            a02 = a02.addingProduct(x0, w2); a12 = a12.addingProduct(x1, w2)
            a03 = a03.addingProduct(x0, w3); a13 = a13.addingProduct(x1, w3)
            line += 128
            h += 2
        }
        store8(a00, gates.0, units); store8(a01, gates.0 + gateStride, units)
        store8(a02, gates.0 + 2 * gateStride, units); store8(a03, gates.0 + 3 * gateStride, units)
        store8(a10, gates.1, units); store8(a11, gates.1 + gateStride, units)
        store8(a12, gates.1 + 2 * gateStride, units); store8(a13, gates.1 + 3 * gateStride, units)
    }

    @inline(__always)
    static func load8(_ pointer: UnsafePointer<Float>, _ count: Int) -> SIMD8<Float> {
        if count >= 8 { return UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self) }
        var value = SIMD8<Float>()
        for lane in 0..<count { value[lane] = pointer[lane] }
        return value
    }

    @inline(__always)
    static func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>, _ count: Int) {
        if count >= 8 { UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self); return }
        for lane in 0..<count { pointer[lane] = value[lane] }
    }
}

// MARK: - Naive reference twin

extension RecurrentProduct {
    /// The naive twin of `gates`: plain loops on the unpacked weights, sums in Double.
    /// `input: [rows, I]`, `hidden: [rows, H]` (nil: zero), returns `[rows, 4H]`.
    public static func referenceGates(rows: Int, inputSize: Int, hiddenSize: Int, input: [Float], hidden: [Float]?,
                                      inputWeight: [Float], hiddenWeight: [Float], bias: [Float]) -> [Float] {
        let width = 4 * hiddenSize
        var gates = [Float](repeating: 0, count: rows * width)
        for row in 0..<rows {
            for column in 0..<width {
                var sum = Double(bias[column])
                for k in 0..<inputSize {
                    sum += Double(input[row * inputSize + k]) * Double(inputWeight[column * inputSize + k])
                }
                if let hidden {
                    for k in 0..<hiddenSize {
                        sum += Double(hidden[row * hiddenSize + k]) * Double(hiddenWeight[column * hiddenSize + k])
                    }
                }
                gates[row * width + column] = Float(sum)
            }
        }
        return gates
    }
}
