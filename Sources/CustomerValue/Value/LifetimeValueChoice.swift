/// The non-contractual purchase models by name (the `--model` choice of `capm clv` and `capm run`).
public enum PurchaseModelKind: String, Sendable, Codable, CaseIterable, Equatable {
    /// BG/NBD (Fader, Hardie & Lee 2005, "Counting your customers the easy way").
    case bgnbd
    /// Pareto/NBD (Schmittlein, Morrison & Colombo 1987).
    case paretoNBD = "pareto-nbd"
    /// MBG/NBD (Batislam, Denizel & Filiztekin 2007).
    case mbgnbd

    /// Fits the model by maximum likelihood on `patterns`; the fit may not have converged (check
    /// ``ModelFit/converged``, or ``requireConverged(_:)``).
    ///
    /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` without customers.
    /// - Complexity: O(patterns) per likelihood evaluation (see ``PurchaseModel/fit(_:start:minimizer:)``).
    public func fit(_ patterns: RepeatPatterns) throws(CustomerValueError) -> (model: any PurchaseModel, fit: ModelFit) {
        switch self {
        case .bgnbd:
            let f = try BGNBD.fit(patterns)
            return (f.model, f.fit)
        case .paretoNBD:
            let f = try ParetoNBD.fit(patterns)
            return (f.model, f.fit)
        case .mbgnbd:
            let f = try MBGNBD.fit(patterns)
            return (f.model, f.fit)
        }
    }
}

/// How the expected spend per future purchase is estimated (the `--spend` choice of `capm clv` and `capm run`).
public enum SpendEstimate: String, Sendable, Codable, CaseIterable, Equatable {
    /// Gamma-Gamma `E[M | x, m̄]` fitted on the repeat buyers (Fader, Hardie & Lee 2005, "RFM and CLV").
    case gammaGamma = "gamma-gamma"
    /// The customer's mean repeat spend m̄.
    case observed
    /// 1 per purchase (CLV in purchases).
    case none

    /// The spend model for `summary`, with the Gamma-Gamma fit (nil for the other choices; it may not have
    /// converged — check ``ModelFit/converged``).
    ///
    /// - Throws: ``CustomerValueError/insufficientData(model:reason:)`` when Gamma-Gamma has no monetary values or
    ///   no repeat buyers.
    /// - Complexity: O(customers) plus the Gamma-Gamma fit over the repeat buyers.
    public func fit(_ summary: CustomerSummary) throws(CustomerValueError) -> (model: SpendModel, fit: ModelFit?) {
        switch self {
        case .none: return (.constant(1), nil)
        case .observed: return (.observedMean, nil)
        case .gammaGamma:
            let gg = GammaGamma.fit(try GammaGamma.SpendData(summary))
            return (.gammaGamma(gg.model), gg.fit)
        }
    }
}

extension ModelFit {
    /// Throws unless the fit converged.
    /// - Throws: ``CustomerValueError/notConverged(model:status:iterations:gradientNorm:)``.
    public func requireConverged() throws(CustomerValueError) {
        guard converged else {
            throw .notConverged(model: model, status: status.rawValue, iterations: iterations, gradientNorm: gradientNorm)
        }
    }
}

extension CustomerPredictions {
    /// Predictions of a purchase model held as an existential (e.g. from ``PurchaseModelKind/fit(_:)``).
    ///
    /// - Throws: as ``init(model:summary:spend:valuation:patterns:)``.
    public init(
        anyModel model: any PurchaseModel, summary: CustomerSummary, spend: SpendModel, valuation: Valuation,
        patterns: RepeatPatterns? = nil
    ) throws(CustomerValueError) {
        self = try Self.opened(model, summary: summary, spend: spend, valuation: valuation, patterns: patterns)
    }

    private static func opened<M: PurchaseModel>(
        _ model: M, summary: CustomerSummary, spend: SpendModel, valuation: Valuation, patterns: RepeatPatterns?
    ) throws(CustomerValueError) -> CustomerPredictions {
        try CustomerPredictions(model: model, summary: summary, spend: spend, valuation: valuation, patterns: patterns)
    }
}
