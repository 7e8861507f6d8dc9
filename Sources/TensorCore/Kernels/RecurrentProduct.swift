// RecurrentProduct: the LSTM's per-step product `gates += h_{t-1} x W_hh^T` on a W_hh packed once
// per call (OpenBLAS has no packed-B API and re-packs W_hh at every step), plus its naive twin.

/// `W_hh: [4H, H]` repacked for the per-step recurrent product.
///
/// Hidden units are grouped by 8; group `u` holds, for every `k` in `0..<H`, the 32 weights
/// `W_hh[g*H + 8u + l, k]` for gates `g` in i, f, g, o and lanes `l` in `0..<8` (zero past `H`),
/// so that the product's inner loop reads one contiguous 128-byte line per `k`.
/// Memory: `ceil(H/8) * 32 * H` floats (4 MiB at `H` = 512).
public final class PackedRecurrentWeight: @unchecked Sendable {
    public let hiddenSize: Int
    /// Number of 8-unit groups, `ceil(H / 8)`.
    let groupCount: Int
    let values: UnsafeMutablePointer<Float>

    /// Allocates the packed buffer for hidden size `hiddenSize`; fill it with `pack(_:)`.
    public init(hiddenSize: Int) {
        self.hiddenSize = hiddenSize
        groupCount = (hiddenSize + 7) / 8
        values = .allocate(capacity: Swift.max(1, groupCount * 32 * hiddenSize))
    }

    deinit { values.deallocate() }

    /// Packs `weight: [4H, H]` (PyTorch `weight_hh_l0`, row-major).
    public func pack(_ weight: UnsafePointer<Float>) {
        let hidden = hiddenSize
        for group in 0..<groupCount {
            let panel = values + group * 32 * hidden
            for gate in 0..<4 {
                for lane in 0..<8 {
                    let unit = group * 8 + lane
                    if unit < hidden {
                        let row = weight + (gate * hidden + unit) * hidden
                        for k in 0..<hidden { panel[k * 32 + gate * 8 + lane] = row[k] }
                    } else {
                        for k in 0..<hidden { panel[k * 32 + gate * 8 + lane] = 0 }
                    }
                }
            }
        }
    }
}

/// The recurrent product of one LSTM time step (reference: `torch.nn.LSTM`'s `h W_hh^T` term).
///
/// `gates[r] += hidden[r] x W_hh^T` for `rows` rows: `hidden` rows `[H]` at `hiddenRowStride`,
/// `gates` rows `[4H]` (gate blocks i, f, g, o) at `gatesRowStride`. Register-blocked AVX2/FMA
/// kernels of 3 rows x 32 gate columns (12 accumulators of 8 lanes) and 2 rows x 32 (for the
/// remainder, so that 19 rows cost 19 rows of work) over the packed weight. The hidden rows are
/// first copied k-interleaved into `hiddenPanel` (the LSTM's rows lie megabytes apart). Each 8-unit
/// weight panel (`32 H` floats, 64 KiB at `H` = 512) is run over its whole depth (chunks of 512)
/// by all row tiles in turn, so it streams once from L3 and then stays in L2: measured on the
/// [19, 2048, 512] step shape, depth chunks of 128 / 256 / 512 took 22.5 / 22.9 / 21.5 ms per 50
/// steps (CPU time, one core).
public enum RecurrentProduct {
    static let depthChunk = 512

    /// Floats of `hiddenPanel` scratch that `accumulate` needs for `rows` rows of hidden size `hiddenSize`.
    public static func hiddenPanelCount(rows: Int, hiddenSize: Int) -> Int { Swift.max(2, rows) * hiddenSize }

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

    /// `gates[r, g*H + j] += sum_k hidden[r, k] * W_hh[g*H + j, k]` for `r` in `0..<rows`.
    /// `hiddenPanel`: scratch of `hiddenPanelCount(rows:hiddenSize:)` floats.
    public static func accumulate(
        rows: Int, hidden: UnsafePointer<Float>, hiddenRowStride: Int,
        gates: UnsafeMutablePointer<Float>, gatesRowStride: Int, weight: PackedRecurrentWeight,
        hiddenPanel: UnsafeMutablePointer<Float>
    ) {
        let size = weight.hiddenSize
        guard rows > 0, size > 0 else { return }
        let tileList = tiles(rows: rows)
        // Panel of tile (start, n): n*H floats at start*H, entry (k, i) = hidden[start + i, k].
        for (start, count) in tileList {
            let panel = hiddenPanel + start * size
            for lane in 0..<count {
                let source = hidden + Swift.min(start + lane, rows - 1) * hiddenRowStride
                for k in 0..<size { panel[k * count + lane] = source[k] }
            }
        }
        for group in 0..<weight.groupCount {
            let units = Swift.min(8, size - group * 8)
            var depthStart = 0
            while depthStart < size {
                let depth = Swift.min(depthChunk, size - depthStart)
                let weightPanel = UnsafePointer(weight.values + (group * size + depthStart) * 32)
                for (start, count) in tileList {
                    let panel = UnsafePointer(hiddenPanel + start * size + depthStart * count)
                    let first = gates + start * gatesRowStride + group * 8
                    let second = gates + Swift.min(start + 1, rows - 1) * gatesRowStride + group * 8
                    if count == 3 {
                        tile3(hidden: panel, gates: (first, second, gates + (start + 2) * gatesRowStride + group * 8),
                              gateStride: size, units: units, weight: weightPanel, depth: depth)
                    } else {
                        tile2(hidden: panel, gates: (first, second), gateStride: size, units: units,
                              weight: weightPanel, depth: depth)
                    }
                }
                depthStart += depth
            }
        }
    }

    /// One 3 x 32 tile over `depth` values of `k`: loads the 12 accumulators from `gates`
    /// (gate `g` of row `r` at `gates.r + g * gateStride`, `units` valid lanes), runs the FMAs
    /// with `hidden[3k + r]` and the weight line `k`, stores them back.
    @inline(__always)
    static func tile3(
        hidden: UnsafePointer<Float>,
        gates: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
        gateStride: Int, units: Int, weight: UnsafePointer<Float>, depth: Int
    ) {
        var a00 = load8(gates.0, units), a01 = load8(gates.0 + gateStride, units)
        var a02 = load8(gates.0 + 2 * gateStride, units), a03 = load8(gates.0 + 3 * gateStride, units)
        var a10 = load8(gates.1, units), a11 = load8(gates.1 + gateStride, units)
        var a12 = load8(gates.1 + 2 * gateStride, units), a13 = load8(gates.1 + 3 * gateStride, units)
        var a20 = load8(gates.2, units), a21 = load8(gates.2 + gateStride, units)
        var a22 = load8(gates.2 + 2 * gateStride, units), a23 = load8(gates.2 + 3 * gateStride, units)
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
        hidden: UnsafePointer<Float>, gates: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>),
        gateStride: Int, units: Int, weight: UnsafePointer<Float>, depth: Int
    ) {
        var a00 = load8(gates.0, units), a01 = load8(gates.0 + gateStride, units)
        var a02 = load8(gates.0 + 2 * gateStride, units), a03 = load8(gates.0 + 3 * gateStride, units)
        var a10 = load8(gates.1, units), a11 = load8(gates.1 + gateStride, units)
        var a12 = load8(gates.1 + 2 * gateStride, units), a13 = load8(gates.1 + 3 * gateStride, units)
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
    static func load8(_ pointer: UnsafeMutablePointer<Float>, _ count: Int) -> SIMD8<Float> {
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
    /// The naive twin: plain loops on the unpacked `weight: [4H, H]`, accumulating in Double.
    /// `hidden: [rows, H]`, `gates: [rows, 4H]`, both dense.
    public static func referenceAccumulate(rows: Int, hiddenSize: Int, hidden: [Float], weight: [Float],
                                           gates: inout [Float]) {
        let width = 4 * hiddenSize
        for row in 0..<rows {
            for column in 0..<width {
                var sum = Double(gates[row * width + column])
                for k in 0..<hiddenSize {
                    sum += Double(hidden[row * hiddenSize + k]) * Double(weight[column * hiddenSize + k])
                }
                gates[row * width + column] = Float(sum)
            }
        }
    }
}
