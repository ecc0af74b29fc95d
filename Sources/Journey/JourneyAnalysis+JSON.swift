import Foundation

extension JourneyAnalysis {
    /// The analysis as `capm journey --format json` prints it: snake_case keys, sorted, pretty-printed (stages,
    /// moments ranked by value at stake with suggested `max_uplift`, segment gaps, coverage, options), with a final
    /// newline.
    ///
    /// - Throws: ``JourneyError/invalidParameter(name:value:requirement:)`` when a number cannot be encoded
    ///   (not finite).
    public func json() throws(JourneyError) -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        do {
            return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
        } catch {
            throw .invalidParameter(name: "JSON output", value: .nan, requirement: "finite numbers (\(error))")
        }
    }
}
