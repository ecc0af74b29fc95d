import CAPMData
import CustomerValue

/// The rows of `customers.csv` as bytes: the columns of a ``SegmentRunResult`` gathered once, each row written
/// straight into a byte buffer (numbers by ``ShortestDecimal``, no `String` per field).
struct CustomerRows: Sendable {
    let ids: [String]
    let frequency: [Int]
    let recency: [Double]
    let age: [Double]
    let monetary: [Double]?
    let expectedPurchases: [Double]
    let probabilityAlive: [Double]
    let expectedSpend: [Double]
    let lifetimeValue: [Double]
    let segments: [Int32]
    /// `segment,label` per segment index (the label CSV-escaped), `segment,` past the profiles.
    let segmentFields: [[UInt8]]
    let attributes: [[Double?]]

    init(result: SegmentRunResult) {
        let s = result.summary, p = result.predictions
        (ids, frequency, recency, age, monetary) = (s.customerIDs, s.frequency, s.recency, s.age, s.monetaryValue)
        (expectedPurchases, probabilityAlive, expectedSpend, lifetimeValue) =
            (p.expectedPurchases, p.probabilityAlive, p.expectedSpend, p.lifetimeValue)
        segments = result.segments
        let k = max(result.segmentation.k, Int(result.segments.max() ?? 0) + 1)
        segmentFields = (0..<k).map { segment in
            let label = segment < (result.segmentation.profiles?.count ?? 0)
                ? result.segmentation.profiles?[segment].label.map { CSVWriting.escape($0.rawValue) } ?? "" : ""
            return Array(",\(segment),\(label)".utf8)
        }
        attributes = result.attributes?.values ?? []
    }

    /// Bytes of one field separator + number at most.
    static let numberBound = ShortestDecimal.maxLength + 1

    /// The rows `range`, each ending in a line feed.
    ///
    /// - Complexity: O(rows · columns); one allocation (an upper bound of the chunk's size).
    func bytes(_ range: Range<Int>) -> [UInt8] {
        var bound = 0
        for i in range {
            bound += 2 * ids[i].utf8.count + 2 + 1 + 20 + 8 * Self.numberBound + 1  // id, frequency, numbers, LF
            bound += segmentFields[Int(segments[i])].count + attributes.count * Self.numberBound
        }
        return [UInt8](unsafeUninitializedCapacity: bound) { buffer, written in
            // Hot loop (1M rows × 11+ fields): raw pointer writes into one pre-sized buffer (measured: the String
            // interpolation it replaces was most of the write step).
            guard let base = buffer.baseAddress else { return }
            var p = base
            @inline(__always) func put(_ byte: UInt8) {
                p.pointee = byte
                p += 1
            }
            @inline(__always) func number(_ value: Double) {
                put(UInt8(ascii: ","))
                p += ShortestDecimal.write(value, to: p)
            }
            for i in range {
                Self.writeIdentifier(ids[i], to: &p)
                put(UInt8(ascii: ","))
                p += Self.writeInteger(frequency[i], to: p)
                number(recency[i])
                number(age[i])
                number(monetary?[i] ?? 0)
                number(expectedPurchases[i])
                number(probabilityAlive[i])
                number(expectedSpend[i])
                number(lifetimeValue[i])
                segmentFields[Int(segments[i])].withUnsafeBufferPointer { field in
                    if let start = field.baseAddress { p.update(from: start, count: field.count) }
                    p += field.count
                }
                for column in attributes {
                    put(UInt8(ascii: ","))
                    if let v = column[i] { p += ShortestDecimal.write(v, to: p) }
                }
                put(UInt8(ascii: "\n"))
            }
            written = p - base
        }
    }

    /// Writes `id` as a CSV field (quoted, `"` doubled, when it holds `,`, `"`, CR or LF): at most 2 · bytes + 2.
    static func writeIdentifier(_ id: String, to p: inout UnsafeMutablePointer<UInt8>) {
        var id = id
        id.withUTF8 { utf8 in
            let special = utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
            if !special {
                if let start = utf8.baseAddress { p.update(from: start, count: utf8.count) }
                p += utf8.count
                return
            }
            p.pointee = UInt8(ascii: "\"")
            p += 1
            for byte in utf8 {
                p.pointee = byte
                p += 1
                if byte == UInt8(ascii: "\"") {
                    p.pointee = byte
                    p += 1
                }
            }
            p.pointee = UInt8(ascii: "\"")
            p += 1
        }
    }

    /// Writes the decimal digits of `value` (with `-` when negative; at most 20 bytes); returns the bytes written.
    static func writeInteger(_ value: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        var n = 0
        if value < 0 {
            p[0] = UInt8(ascii: "-")
            n = 1
        }
        var rest = value.magnitude
        var length = 0
        var probe = rest
        repeat {
            length += 1
            probe /= 10
        } while probe > 0
        var i = n + length
        repeat {
            i -= 1
            p[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
        } while rest > 0
        return n + length
    }
}
