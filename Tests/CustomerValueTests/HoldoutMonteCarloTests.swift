import CAPMData
import Foundation
import Testing

@testable import CustomerValue

/// End-to-end Monte Carlo checks with the lead's BG/NBD + Gamma-Gamma simulator (seeded, so deterministic):
/// the estimates recover the true parameters within their standard errors, and the true model's conditional
/// expectations predict the simulated holdout.
@Suite struct HoldoutMonteCarloTests {
    static let truth = BGNBD(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)

    static func split() throws -> CalibrationHoldout {
        let start = CivilDate.daysFromCivil(year: 1997, month: 1, day: 1)
        let simulator = TransactionSimulator(
            purchase: .init(r: truth.r, alpha: truth.alpha, a: truth.a, b: truth.b), startDay: start)
        let log = try simulator.simulate(customers: 30_000, seed: 2024)
        return try CalibrationHoldout(
            transactions: log, calibrationEnd: Int32(start + 272), observationEnd: Int32(start + 545), unit: .week)
    }

    @Test func fitRecoversTheSimulatedParametersWithinTheirStandardErrors() throws {
        let calibration = try Self.split().calibration
        let fitted = try BGNBD.fit(RepeatPatterns(calibration)).requireConverged()
        let se = try #require(fitted.fit.standardErrors)
        for (i, (estimate, true_)) in zip(fitted.model.parameters, Self.truth.parameters).enumerated() {
            #expect(abs(estimate - true_) < 4 * se[i], "\(BGNBD.parameterNames[i]): \(estimate) ± \(se[i]) vs \(true_)")
        }
    }

    @Test func trueModelPredictsTheSimulatedHoldout() throws {
        let split = try Self.split()
        let c = split.calibration
        var predicted = 0.0
        for i in 0..<c.count {
            predicted += try #require(
                Self.truth.expectedPurchases(
                    split.holdoutDuration, frequency: Double(c.frequency[i]), recency: c.recency[i], age: c.age[i]))
        }
        let actual = Double(split.holdoutFrequency.reduce(0, +))
        // Same-day purchases merge in the log (the model's Poisson process does not), a small downward effect
        // on the actual count; the sampling error of the total is about 1.5 %.
        #expect(abs(predicted / actual - 1) < 0.035, "predicted \(predicted), simulated \(actual)")
    }
}
