import CAPMNumerics
import Testing

@testable import Segmentation

@Suite("Order statistics by selection")
struct OrderStatisticsTests {
    /// Every rank of arrays with many ties, sorted and reversed runs, and random values equals the sorted array's
    /// entry, and the partition around it holds.
    @Test(arguments: [1, 2, 3, 10, 31, 32, 33, 1000, 4097])
    func selectEqualsSorting(count: Int) {
        var rng = Xoshiro256(seed: UInt64(count))
        let inputs: [[Double]] = [
            (0..<count).map { _ in Double(Int.random(in: 0..<5, using: &rng)) },  // many ties
            (0..<count).map { Double($0) },
            (0..<count).map { Double(count - $0) },
            (0..<count).map { _ in Double.random(in: -1e6...1e6, using: &rng) },
            [Double](repeating: 7, count: count),
        ]
        for input in inputs {
            let sorted = input.sorted()
            for rank in Set([0, count / 2, count - 1, Int.random(in: 0..<count, using: &rng)]) {
                var work = input
                let value = OrderStatistics.select(&work, rank: rank)
                #expect(value == sorted[rank])
                #expect(work[rank] == value)
                #expect(work[..<rank].allSatisfy { $0 <= value } && work[(rank + 1)...].allSatisfy { $0 >= value })
                #expect(work.sorted() == sorted)  // a permutation of the input
            }
        }
    }

    @Test("median: odd and even counts, ties", arguments: [
        ([5.0], 5.0), ([2, 1], 1.5), ([3, 1, 2], 2), ([4, 1, 3, 2], 2.5), ([1, 1, 1, 2], 1), ([9, 1, 9, 1, 5, 5], 5),
    ] as [([Double], Double)])
    func median(values: [Double], expected: Double) {
        #expect(SegmentProfile.median(values) == expected)
    }
}
