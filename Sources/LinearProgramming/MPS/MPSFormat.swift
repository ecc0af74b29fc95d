/// The two layouts of the MPS format.
///
/// *Fixed* MPS puts fields in columns 2–3, 5–12, 15–22, 25–36, 40–47, 50–61 (IBM MPSX, 1960s; names ≤ 8
/// characters, may contain spaces). *Free* MPS separates fields by white space (names without spaces, any
/// length). Reference: IBM, *Optimization Subroutine Library Guide and Reference*, "MPS format";
/// lp_solve and HiGHS documentation of the free format.
public enum MPSFormat: String, Sendable, Equatable {
    /// Fields separated by white space. Fixed files whose names contain no spaces also read correctly this way.
    case free
    /// Column-positioned fields; a line is first read by white space and falls back to the fixed columns
    /// when its field count does not fit (names with spaces).
    case fixed
}
