// The CAE's record score (MSE) and its saliency map (input gradient of the summed squared error).
import TensorCore

extension CAE {
    /// `record: [L, T] -> (perLead [L], overall, reconstruction [L, T])`: mean squared reconstruction
    /// error per lead and over the record, accumulated in Double (the reference dashboard's record
    /// score, `ui/app.py`: one pass over the whole record; call `eval()` first).
    public func reconstructionError(record: Tensor) throws -> (perLead: [Double], overall: Double, reconstruction: Tensor) {
        guard record.rank == 2, record.shape[0] == configuration.leads else {
            throw ModelsError.shapeMismatch(model: "CAE.reconstructionError", expected: [configuration.leads, -1],
                                            actual: record.shape)
        }
        let reconstruction = try withNoGrad {
            try forward(try record.unsqueezed(axis: 0)).squeezed(axis: 0)
        }
        let (leads, steps) = (record.shape[0], record.shape[1])
        let x = record.scalars, y = reconstruction.scalars
        var perLead = [Double](repeating: 0, count: leads)
        for lead in 0..<leads {
            var sum = 0.0
            for t in 0..<steps {
                let d = Double(x[lead * steps + t]) - Double(y[lead * steps + t])
                sum += d * d
            }
            perLead[lead] = sum / Double(max(steps, 1))
        }
        return (perLead, perLead.reduce(0, +) / Double(max(leads, 1)), reconstruction)
    }

    /// `record: [L, T] -> saliency [L, T]` in [0, 1]: `|d sum((x - CAE(x))^2) / d x|` (the gradient
    /// flows through both the target and the reconstruction), then min-max normalised per lead,
    /// `(s - min) / (max - min)`; a lead with a constant map gives zeros.
    public func saliency(record: Tensor) throws -> Tensor {
        guard record.rank == 2, record.shape[0] == configuration.leads else {
            throw ModelsError.shapeMismatch(model: "CAE.saliency", expected: [configuration.leads, -1], actual: record.shape)
        }
        var input = try record.unsqueezed(axis: 0).contiguous().detached()
        input.requiresGrad = true
        let error = try Tensor.squaredDifference(input, try forward(input)).sum()
        let gradient = try Tensor.gradients(of: error, withRespectTo: [input])[0]
        let (leads, steps) = (record.shape[0], record.shape[1])
        var values = gradient.scalars.map { abs($0) }
        for lead in 0..<leads {
            let row = (lead * steps)..<((lead + 1) * steps)
            let low = values[row].min() ?? 0, high = values[row].max() ?? 0
            let range = high - low
            for i in row { values[i] = range > 0 ? (values[i] - low) / range : 0 }
        }
        return try Tensor(shape: [leads, steps], scalars: values)
    }
}
