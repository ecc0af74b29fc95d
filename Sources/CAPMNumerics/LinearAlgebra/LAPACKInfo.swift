/// Maps a LAPACK `info` return code to a typed error.
///
/// LAPACK's convention: `info == 0` success, `info < 0` argument `-info` was illegal (LAPACKE also returns this
/// when its NaN check finds a NaN in argument `-info`), `info > 0` a routine-specific numerical failure.
@usableFromInline
func checkLAPACK(
    _ info: Int32, routine: String, positive: (Int) -> LinearAlgebraError
) throws(LinearAlgebraError) {
    if info == 0 { return }
    if info < 0 { throw .invalidArgument(routine: routine, argument: Int(-info)) }
    throw positive(Int(info))
}

/// Character arguments for LAPACKE (`'N'`, `'U'`, …).
@usableFromInline
func lapackChar(_ c: Unicode.Scalar) -> CChar { CChar(UInt8(ascii: c)) }
