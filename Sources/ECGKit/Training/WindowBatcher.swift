// Gathers windows of a WindowSet into model-ready batch tensors in the layout the model takes.
import TensorCore

/// `windows: [N, T, L] or [N, L, T] -> batches [B, ...]` in `layout`, transposing each window when the
/// set's layout differs (the CAE takes `[B, L, T]`, the VAEs `[B, T, L]`).
struct WindowBatcher {
    let windows: WindowSet
    let layout: WindowLayout

    /// Throws `TrainingError.incompatibleWindows` unless the set holds `leads`-lead windows.
    init(_ windows: WindowSet, layout: WindowLayout, leads: Int, role: String) throws {
        guard windows.shape.count == 3, windows.leadCount == leads, windows.length > 0 else {
            throw TrainingError.incompatibleWindows(
                "\(role) windows must be [N, T, \(leads)] or [N, \(leads), T], got shape \(windows.shape)")
        }
        self.windows = windows
        self.layout = layout
    }

    var count: Int { windows.count }

    /// The windows at `indices`, stacked: `[B, T, L]` (`.timeByLeads`) or `[B, L, T]` (`.leadsByTime`).
    func batch<Indices: Collection>(_ indices: Indices) throws -> Tensor where Indices.Element == Int {
        let (steps, leads) = (windows.length, windows.leadCount)
        let size = steps * leads
        var values = [Float](repeating: 0, count: indices.count * size)
        values.withUnsafeMutableBufferPointer { output in
            windows.values.withUnsafeBufferPointer { input in
                for (position, window) in indices.enumerated() {
                    let source = window * size, target = position * size
                    if windows.layout == layout {
                        for offset in 0..<size { output[target + offset] = input[source + offset] }
                    } else if layout == .leadsByTime {
                        for t in 0..<steps {
                            for lead in 0..<leads { output[target + lead * steps + t] = input[source + t * leads + lead] }
                        }
                    } else {
                        for lead in 0..<leads {
                            for t in 0..<steps { output[target + t * leads + lead] = input[source + lead * steps + t] }
                        }
                    }
                }
            }
        }
        let shape = layout == .timeByLeads ? [indices.count, steps, leads] : [indices.count, leads, steps]
        return try Tensor(shape: shape, scalars: values)
    }
}
