import Foundation
import Testing

@testable import LinearProgramming

let featureMPS = """
    * every section and bound type
    NAME          FEATURES
    OBJSENSE
        MAX
    ROWS
     N  COST
     L  LIM1
     G  LIM2
     E  EQ1
     E  EQ2
     E  EQ3
     L  RNGL
    COLUMNS
        MARKER                 'MARKER'                 'INTORG'
        X1        COST         1.0   LIM1         1.0
        X1        LIM2         1.0
        MARKER                 'MARKER'                 'INTEND'
        X2        COST         2.0   LIM1         1.0
        X2        EQ1         -1.0
        X3        COST        -1.0   EQ2          1.0
        X4        EQ3          1.0   RNGL         1.0
        X5        COST         1D0   LIM2         1.0
        X6        EQ1          1.0
        X7        EQ2          1.0
        X8        EQ3          2.0
        X9        RNGL         1.0
    RHS
        RHS       COST        -7.5
        RHS       LIM1         4.0   LIM2         1.0
        RHS       EQ1          1.0   EQ2          2.0
        RHS       EQ3          3.0   RNGL         5.0
    RANGES
        RNG       EQ1          2.0   EQ2         -3.0
        RNG       LIM2         4.0   RNGL        -1.5
    BOUNDS
     UP BND       X1           4.0
     MI BND       X2
     UP BND       X2           1.0
     UP BND       X3          -2.0
     FX BND       X4           1.5
     FR BND       X5
     BV BND       X6
     LI BND       X7           2
     UI BND       X7           9
     PL BND       X8
     LO BND       X9          -1e30
    ENDATA
    """

@Suite("MPS files")
struct MPSTests {
    @Test("every section, row type, range sign rule and bound type")
    func features() throws {
        let lp = try MPSReader.parse(featureMPS)
        #expect(lp.name == "FEATURES")
        #expect(lp.sense == .maximize)
        #expect(lp.objectiveName == "COST")
        #expect(lp.objectiveConstant == 7.5)
        #expect(lp.rowNames == ["LIM1", "LIM2", "EQ1", "EQ2", "EQ3", "RNGL"])
        #expect(lp.columnNames == ["X1", "X2", "X3", "X4", "X5", "X6", "X7", "X8", "X9"])
        let objective: [Double] = [1, 2, -1, 0, 1, 0, 0, 0, 0]
        #expect(lp.objective == objective)
        // L: (-inf, 4]; G with R = 4: [1, 5]; E with R = 2: [1, 3]; E with R = −3: [−1, 2]; E: [3, 3];
        // L with R = −1.5: [3.5, 5].
        let inf = Double.infinity
        let rowLower: [Double] = [-inf, 1, 1, -1, 3, 3.5]
        let rowUpper: [Double] = [4, 5, 3, 2, 3, 5]
        let columnLower: [Double] = [0, -inf, -inf, 1.5, -inf, 0, 2, 0, -inf]
        let columnUpper: [Double] = [4, 1, -2, 1.5, inf, 1, 9, inf, inf]
        #expect(lp.rowLower == rowLower)
        #expect(lp.rowUpper == rowUpper)
        #expect(lp.columnLower == columnLower)
        #expect(lp.columnUpper == columnUpper)
        #expect(lp.matrix.nonzeros == 12)
    }

    @Test("free MPS with long names and without a RHS set name")
    func freeFormat() throws {
        let text = """
            NAME long_names
            ROWS
             N obj
             G a_very_long_row_name
            COLUMNS
             a_very_long_column_name obj 1 a_very_long_row_name 2
            RHS
             a_very_long_row_name 4
            ENDATA
            """
        let lp = try MPSReader.parse(text, format: .free)
        #expect(lp.rowNames == ["a_very_long_row_name"])
        #expect(lp.rowLower == [4])
        let s = try LPSolver.solve(lp)
        #expect(s.status == .optimal && s.objective == 2)
    }

    @Test("fixed MPS with spaces inside names uses the column positions")
    func fixedSpaces() throws {
        // Fields at columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61.
        func line(_ fields: [(Int, String)]) -> String {
            var chars = [Character](repeating: " ", count: 61)
            for (column, text) in fields {
                for (k, ch) in text.enumerated() { chars[column - 1 + k] = ch }
            }
            return String(chars).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
        }
        let text = [
            "NAME          SPACES", "ROWS", line([(2, "N"), (5, "OBJ")]), line([(2, "G"), (5, "ROW 1")]), "COLUMNS",
            line([(5, "COL A"), (15, "OBJ"), (25, "1.0"), (40, "ROW 1"), (50, "1.0")]), "RHS",
            line([(5, "RHS"), (15, "ROW 1"), (25, "2.0")]), "BOUNDS", line([(2, "UP"), (5, "BND"), (15, "COL A"), (25, "4")]),
            "ENDATA",
        ].joined(separator: "\n")
        let lp = try MPSReader.parse(text, format: .fixed)
        #expect(lp.rowNames == ["ROW 1"])
        #expect(lp.columnNames == ["COL A"])
        #expect(lp.rowLower == [2])
        #expect(lp.columnUpper == [4])
    }

    @Test(
        "malformed files are typed errors naming the line",
        arguments: [
            ("NAME X\nROWS\n N OBJ\nCOLUMS\n", LPError.malformedMPS(path: "<string>", line: 4, reason: "unknown section 'COLUMS'")),
            ("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1 R1 2\n", LPError.unknownRow(path: "<string>", line: 5, name: "R1")),
            ("NAME X\nROWS\n N OBJ\n L R1\n L R1\n", LPError.duplicateName(path: "<string>", line: 5, name: "R1")),
            ("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1x\n", LPError.invalidNumber(path: "<string>", line: 5, text: "1x")),
            ("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1\n Y OBJ 1\n X OBJ 1\n", LPError.duplicateName(path: "<string>", line: 7, name: "X")),
            ("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1\nBOUNDS\n UP B Y 1\n", LPError.unknownColumn(path: "<string>", line: 7, name: "Y")),
            ("NAME X\nROWS\n N OBJ\n Q R\n", LPError.malformedMPS(path: "<string>", line: 4, reason: "unknown row type 'Q'")),
            ("NAME X\nROWS\n N OBJ\nENDATA\n", LPError.emptyModel),
            (" N OBJ\n", LPError.malformedMPS(path: "<string>", line: 1, reason: "data before any section")),
        ])
    func malformed(_ text: String, _ error: LPError) {
        #expect(throws: error) { try MPSReader.parse(text, format: .free) }
    }

    @Test("a non-number in a fixed-format file is reported as such")
    func fixedNonNumber() {
        #expect(throws: LPError.invalidNumber(path: "<string>", line: 5, text: "abc")) {
            try MPSReader.parse("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ abc\n", format: .fixed)
        }
    }

    @Test("inconsistent bounds name the line of the last bound")
    func inconsistentBounds() {
        let text = "NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1\nBOUNDS\n UP B X 1\n LO B X 3\nENDATA\n"
        #expect(throws: LPError.malformedMPS(path: "<string>", line: 8, reason: "column 'X': lower bound 3.0 exceeds upper bound 1.0")) {
            try MPSReader.parse(text)
        }
    }

    @Test("a missing file is a typed error")
    func missingFile() {
        #expect(throws: LPError.self) { try MPSReader.read(contentsOf: URL(fileURLWithPath: "/nonexistent/x.mps")) }
    }

    @Test(
        "numbers read as the correctly rounded double",
        arguments: [
            "0.1", "-0.1", "1e22", "1e23", "9007199254740993", "12345678901234567890123", "0.30000000000000004",
            "1.2345678901234567e29", "4.9e-324", "2.2250738585072011e-308", "-0", "5.", ".5", "+2.5E-3",
            "1.194059913688087", "44.50145184611186", "123456789012345.6789", "1e-22", "1e-23",
        ])
    func numberRounding(_ literal: String) throws {
        let lp = try MPSReader.parse("NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ \(literal)\nENDATA\n", format: .free)
        let expected = try #require(Double(literal))
        #expect(lp.objective[0].bitPattern == expected.bitPattern || (expected == 0 && lp.objective[0] == 0))
    }

    @Test("a Fortran exponent and a 1e30 magnitude are read as MPS means them")
    func fortranAndInfinity() throws {
        let text = "NAME X\nROWS\n N OBJ\nCOLUMNS\n X OBJ 1.5D+03\nBOUNDS\n UP B X 1e30\n LO B X -2d30\nENDATA\n"
        let lp = try MPSReader.parse(text, format: .free)
        #expect(lp.objective == [1500])
        #expect(lp.columnUpper == [.infinity])
        #expect(lp.columnLower == [-.infinity])
    }

    @Test("thousands of row and column names resolve to their own indices, in any order")
    func manyNames() throws {
        let rows = 3_000
        var text = "NAME MANY\nROWS\n N OBJ\n"
        for i in 0..<rows { text += " L ROW\(i * 7919 % rows)\n" }
        text += "COLUMNS\n"
        for j in 0..<rows { text += " C\(j) OBJ 1 ROW\(j) \(j + 1)\n" }
        text += "RHS\n"
        for i in stride(from: rows - 1, through: 0, by: -1) { text += " RHS ROW\(i) \(i)\n" }
        text += "BOUNDS\n"
        for j in stride(from: 0, to: rows, by: 3) { text += " UP B C\(j) \(j)\n" }
        for j in stride(from: 1, to: rows, by: 2) { text += " LO B C\(j) -\(j)\n" }
        text += "ENDATA\n"
        let lp = try MPSReader.parse(text, format: .free)
        #expect(lp.rowCount == rows && lp.columnCount == rows)
        for j in 0..<rows {
            let (r, v) = lp.matrix.column(j)
            let row = try #require(r.first)
            #expect(lp.rowNames[Int(row)] == "ROW\(j)")
            #expect(v.first == Double(j + 1))
            #expect(lp.rowUpper[Int(row)] == Double(j))
            #expect(lp.columnUpper[j] == (j % 3 == 0 ? Double(j) : .infinity))
            #expect(lp.columnLower[j] == (j % 2 == 1 ? -Double(j) : 0))
        }
    }

    @Test("write then read reproduces the model", arguments: ["afiro", "boeing1", "e226", "grow7"])
    func roundTrip(_ name: String) throws {
        let model = try MPSReader.read(contentsOf: netlibDirectory.appendingPathComponent(name + ".mps"))
        let again = try MPSReader.parse(MPSWriter.text(of: model), format: .free)
        #expect(again == model)
    }

    @Test("write then read reproduces the feature model")
    func roundTripFeatures() throws {
        let model = try MPSReader.parse(featureMPS)
        let again = try MPSReader.parse(MPSWriter.text(of: model), format: .free)
        #expect(again == model)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("capm-lp-\(UUID().uuidString).mps")
        defer { try? FileManager.default.removeItem(at: url) }
        try MPSWriter.write(model, to: url)
        #expect(try MPSReader.read(contentsOf: url, format: .free) == model)
    }
}
