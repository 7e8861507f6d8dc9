// The vectorised exp/tanh/sigmoid against the C library (libm) over a dense sweep of inputs.
import Foundation
import Testing
import TensorCore

@Test func vectorisedTranscendentalsMatchLibm() throws {
    let inputs = stride(from: -90.0 as Float, through: 90, by: 0.0137).map { $0 } + [0, -0, 1e-6, -1e-6, 0.19999, 0.2, 88.7, -87.3]
    let x = Tensor(inputs)
    let exps = x.exp().scalars, tanhs = x.tanh().scalars, sigmoids = x.sigmoid().scalars
    var worstExp: Float = 0, worstTanh: Float = 0, worstSigmoid: Float = 0
    for (i, value) in inputs.enumerated() {
        let e = expf(value)
        if e.isNormal { worstExp = max(worstExp, Swift.abs(exps[i] - e) / e) }
        let t = tanhf(value)
        worstTanh = max(worstTanh, t == 0 ? Swift.abs(tanhs[i]) : Swift.abs(tanhs[i] - t) / Swift.abs(t))
        let s = 1 / (1 + expf(-value))
        if s.isNormal { worstSigmoid = max(worstSigmoid, Swift.abs(sigmoids[i] - s) / s) }
    }
    #expect(worstExp < 5e-7, "exp relative error \(worstExp)")
    #expect(worstTanh < 5e-7, "tanh relative error \(worstTanh)")
    #expect(worstSigmoid < 5e-7, "sigmoid relative error \(worstSigmoid)")
    let special = Tensor([.nan, .infinity, -.infinity, 100, -100]).exp().scalars
    #expect(special[0].isNaN && special[1] == .infinity && special[2] == 0 && special[3] == .infinity && special[4] == 0)
    #expect(Tensor([.nan]).tanh().scalars[0].isNaN)
    #expect(Tensor([50, -50]).tanh().scalars == [1, -1])
}
