/// The version of the CAPM library and tool (semantic versioning).
public enum CAPMVersion {
    /// The version string, e.g. `"0.1.0"`.
    public static let string = "0.1.0"
}
