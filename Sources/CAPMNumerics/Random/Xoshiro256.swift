/// The xoshiro256** pseudo-random generator (Blackman & Vigna 2021, "Scrambled linear pseudorandom number
/// generators", ACM TOMS 47(4)), seeded through SplitMix64.
///
/// CAPM's determinism rests on it: the same seed gives the same stream on every platform and thread count.
/// Parallel work derives one independent generator per *work item* (customer block, restart) with
/// ``init(seed:stream:)``, never per thread, so results do not depend on how many threads run.
public struct Xoshiro256: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// A generator whose 256-bit state is filled from `seed` by SplitMix64 (as the authors recommend).
    public init(seed: UInt64) {
        var sm = SplitMix64(seed: seed)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// An independent generator for work item `stream` under a run's `seed`.
    ///
    /// The state comes from SplitMix64 over a mix of both numbers, so streams for neighbouring items are
    /// uncorrelated; the mapping is fixed, which makes parallel simulations reproducible.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ 0x9E37_79B9_7F4A_7C15)
        let a = mixer.next()
        var sm = SplitMix64(seed: a &+ stream &* 0xD1B5_4A32_D192_ED03)
        s0 = sm.next()
        s1 = sm.next()
        s2 = sm.next()
        s3 = sm.next()
    }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inlinable
    func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform double in the open interval (0, 1): 53 random bits, never exactly 0 or 1, so `log(u)` is safe.
    @inlinable
    public mutating func nextOpenUnit() -> Double {
        Double((next() >> 11) | 1) * 0x1.0p-53
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014), used to expand one 64-bit seed into generator state.
public struct SplitMix64: RandomNumberGenerator, Sendable, Hashable {
    @usableFromInline var state: UInt64

    /// A generator starting from `seed`.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    @inlinable
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
