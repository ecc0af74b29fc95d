/// How a solve ended.
public enum SolveStatus: String, Sendable, Equatable, Codable {
    /// An optimal basic solution was found.
    case optimal
    /// No point satisfies the constraints; ``LPSolution/certificate`` holds a Farkas proof.
    case infeasible
    /// The objective can improve without bound along a feasible ray.
    case unbounded
    /// The iteration limit was reached.
    case iterationLimit = "iteration_limit"
    /// The time limit was reached.
    case timeLimit = "time_limit"
    /// The solver lost accuracy it could not recover (repeated singular bases, cycling tolerances).
    case numericalTrouble = "numerical_trouble"
}
