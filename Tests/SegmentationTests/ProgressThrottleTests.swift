import Testing
@testable import Segmentation

@Suite("progress throttle")
struct ProgressThrottleTests {
    @Test("admits the first report, then one per interval measured from the last admitted one",
          arguments: [Duration.seconds(1), .milliseconds(250)])
    func onePerInterval(interval: Duration) {
        var throttle = ProgressThrottle(interval: interval)
        let start = ContinuousClock.now
        let offsets: [(Double, Bool)] = [(0, true), (0.5, false), (0.99, false), (1, true), (1.5, false), (2.2, true), (3.1, false), (3.3, true)]
        for (fraction, admitted) in offsets {
            #expect(throttle.admits(at: start + interval * fraction) == admitted, "at \(fraction) × \(interval)")
        }
    }
}
