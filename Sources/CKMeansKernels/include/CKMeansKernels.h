// Fused Lloyd pass for k-means (Segmentation's hot loop): for every row the nearest centroid by the expanded form
// ‖c‖² − 2·x·c (‖x‖² is common to all centroids and dropped), ties to the lowest centroid index, then either the
// row's centred features added to its cluster's running sum (update pass), or its exact squared distance (final
// pass), or nothing more (assignment pass: labels only). Each row is read from memory once per pass.
//
// Two instruction sets, chosen by the caller: AVX2 + FMA (x86-64, compiled per function with a target attribute and
// used only when cpuid reports AVX2, FMA and OS support for the YMM state) and portable C (any CPU).
#ifndef CAPM_CKMEANSKERNELS_H
#define CAPM_CKMEANSKERNELS_H

#include <stddef.h>
#include <stdint.h>

/// Instruction set of a pass.
typedef enum capm_kmeans_isa {
    /// Plain C, one row and one centroid at a time (any CPU).
    CAPM_KMEANS_ISA_PORTABLE = 0,
    /// AVX2 + FMA register-blocked micro-kernel (falls back to portable C when the CPU lacks it).
    CAPM_KMEANS_ISA_AVX2 = 1,
} capm_kmeans_isa;

/// One pass over `rows` consecutive rows.
///
/// Centroid panel layout (`panel64` / `panel32`), per group g of 8 centroids (groups = ⌈k/8⌉):
/// `panel[g·(d+1)·8 + l]` = ‖c_{8g+l}‖² (+∞ for padding lanes 8g+l ≥ k), then
/// `panel[g·(d+1)·8 + 8 + 8j + l]` = −2·c_{8g+l, j} (0 in padding lanes).
typedef struct capm_kmeans_pass {
    size_t rows;
    size_t d;
    size_t k;
    /// rows × d row-major features: `x64` for the Double pass, `x32` for the Float pass.
    const double *x64;
    const float *x32;
    /// The centroid panel in the precision of the rows.
    const double *panel64;
    const float *panel32;
    /// k × d centroids, row-major, in the coordinates of the rows (final pass: exact distances). With neither
    /// `sums` nor `centroids` the pass only assigns labels.
    const double *centroids;
    /// Column means μ (Double update pass: sums are of centred rows xᵢ − μ). Not read by the Float pass.
    const double *mean;
    /// Row weights, or NULL for unit weights.
    const double *weights;
    /// Labels of the rows: read (to count changes) and overwritten.
    int32_t *labels;
    /// Update pass: k × d sums Σ wᵢ(xᵢ − μ) and k weights Σ wᵢ, added to (not cleared) in row order. NULL for a
    /// final pass.
    double *sums;
    double *cluster_weights;
    /// Update pass without weights, optional: record only the rows whose label changes — subtract xᵢ − μ (Float
    /// pass: the centred Float row, in Double) from the sums of the label on entry and add it to those of the new
    /// label, with −1 / +1 in `cluster_weights` — so that `sums` receive the change of the clusters' sums. Every
    /// label on entry must then be a cluster index (a label outside 0..<k only adds). Not with `weights`.
    int changes_only;
    /// Float update pass without weights: k × d Float scratch, all zero on entry and left all zero. It holds the
    /// Float sums of the current window of CAPM_KMEANS_WINDOW rows (see `capm_kmeans_pass_f32`).
    float *partial32;
    /// Double passes, optional: the Float screen (see `capm_kmeans_pass_f64`). The panel (layout of `panel64`) of
    /// the same centroids centred by `mean`, c − μ, rounded to Float; NULL for no screen.
    const float *screen32;
    /// The screen's error bound needs max_c ‖c − μ‖ (the centroids of `screen32`, before rounding), max_c ‖c‖
    /// (the centroids of `panel64`) and ‖μ‖, each computed in Double.
    double screen_centred_norm;
    double screen_norm;
    double screen_mean_norm;
} capm_kmeans_pass;

/// Rows per window of Float partial sums in a Float update pass without weights.
#define CAPM_KMEANS_WINDOW 256


/// What a pass reports.
typedef struct capm_kmeans_result {
    /// Rows whose label differs from the one they had.
    int64_t changed;
    /// Final pass: Σ wᵢ Σⱼ (xᵢⱼ − c_{ℓ(i)j})² in row order (difference form). Other passes: 0.
    double inertia;
    /// Screened Double pass: rows the Float screen could not decide, labelled by the Double micro-kernel. Else 0.
    int64_t fallbacks;
} capm_kmeans_result;

/// 1 when this CPU (and OS) can run the AVX2 + FMA kernels, else 0.
int capm_kmeans_avx2_available(void);

/// 1 when this CPU (and OS) can run the AVX-512VL copy of the Float 8 × 8 pass (used for k ≤ 8 below d = 24 in
/// place of its AVX2 twin, same results) and it is allowed (`capm_kmeans_allow_avx512`, default yes), else 0.
int capm_kmeans_avx512vl_available(void);

/// 0 keeps the passes on their AVX2 code where an AVX-512VL copy exists, 1 (the default) lets them use it; the
/// results are the same either way (tests compare the two).
void capm_kmeans_allow_avx512(int allowed);

/// The Double pass on the given instruction set (AVX2 degrades to portable when unavailable). An update pass
/// without `cluster_weights` or `mean` does nothing and reports −1 changed.
///
/// Float screen (AVX2, with `screen32` and `mean`, for the shapes where it measured faster: k ≥ 32 and k·d ≥ 512;
/// and all three norms below 2⁶⁰). The labels come out bit-identical to those of the Double micro-kernel; only the
/// arithmetic that finds them changes. Each row, centred in Double and rounded to Float (y = x − μ), is compared with the centred Float panel in Float,
/// keeping per row the smallest distance s₁ (its centroid) and the second smallest s₂. With u = 2⁻²⁴, the Float
/// values differ from the exact ones (up to the same row constant) by at most
/// E₃₂ = γ_{d+3}·(‖c−μ‖²ₘₐₓ + 2‖y‖·‖c−μ‖ₘₐₓ) (+ a term for underflow), γₙ = nu/(1 − nu) (the usual bound of an
/// n-term multiply-add chain, Higham, "Accuracy and Stability of Numerical Algorithms", 2nd ed., §3.1; plus one
/// rounding each for y, −2(c − μ) and ‖c − μ‖²); the Double kernel's values differ by at most
/// E₆₄ = 2(d+8)·2⁻⁵³·1.1·(‖c‖ₘₐₓ + ‖c−μ‖ₘₐₓ + ‖μ‖ + ‖y‖)². When s₂ − s₁ > 2(E₃₂ + E₆₄) the exact nearest centroid is
/// the Float one, and so is the Double kernel's (strictly smaller by more than its own error). Any other row
/// (a near tie, an exact Float tie, a row too large for Float) is labelled by the Double micro-kernel, counted in
/// `fallbacks`. The sums, weights and exact distances are then recorded from the Double row, as without the screen.
capm_kmeans_result capm_kmeans_pass_f64(const capm_kmeans_pass *pass, capm_kmeans_isa isa);

/// The Float pass: distances and arg-min in Float on `x32` and `panel32`. The Float rows are already centred
/// (x − μ rounded to Float, as scikit-learn centres its data) and `mean` is not read; `panel32` and `centroids` are
/// in the same centred coordinates.
///
/// Update pass with weights: Σ wᵢ·xᵢ in Double, row order. Without weights: the rows of each window of
/// CAPM_KMEANS_WINDOW consecutive rows (counted from the pass's first row; the last window may be shorter) are added
/// in row order to Float partial sums in `partial32`, which are added to the Double `sums` (and cleared) at the end
/// of the window. Reading Float rows into Float sums avoids converting every row to Double, which cost 20–36 % of
/// the pass; the Float rounding stays bounded by one window (scikit-learn sums all rows of a thread in Float).
/// Such an update pass without `partial32` does nothing and reports −1 changed.
///
/// Final pass: the exact inertia in Double from the Float rows.
capm_kmeans_result capm_kmeans_pass_f32(const capm_kmeans_pass *pass, capm_kmeans_isa isa);

/// One k-means++ seeding pass over `rows` consecutive rows (Segmentation's greedy k-means++). Distances are
/// Σⱼ (xⱼ − cⱼ)² added in feature order, multiply then add; row sums are added in row order: both instruction sets
/// give the same bits as the straightforward scalar loop.
typedef struct capm_kmeans_seed_pass {
    size_t rows;
    size_t d;
    /// rows × d row-major features.
    const double *x;
    /// Row weights, or NULL for unit weights.
    const double *weights;
    /// D(xᵢ)², each row's squared distance to its closest chosen centroid: read by the candidate pass; written
    /// by the closest update.
    double *closest;
    /// Candidate pass: d × `width` candidate features, `lanes[width·j + t]` = feature j of candidate t (+∞ in
    /// unused lanes).
    const double *lanes;
    /// Candidate pass: lanes per feature, 4 or 8.
    size_t width;
    /// Candidate pass: 1 when the last lane (t = width − 1) holds the centroid chosen by the previous step, whose
    /// closest update was deferred to this pass: each row first lowers D(xᵢ)² to its distance to that centroid
    /// (Swift's `min(old, new)`, stored back), then caps the candidates with the lowered value. Saves a read of
    /// the data per chosen centroid; lowering a row twice gives the same value as once.
    int pending;
    /// Candidate pass output: Σᵢ wᵢ·min(D(xᵢ)², ‖xᵢ − candidate t‖²) for t < width (compared with `>`).
    double potentials[8];
    /// Closest update: the newly chosen centroid (d values).
    const double *center;
    /// Closest update: 1 to set D(xᵢ)² = ‖xᵢ − center‖² (the first centroid), 0 to lower it to that.
    int initialise;
} capm_kmeans_seed_pass;

/// The candidate pass: fills `potentials`.
void capm_kmeans_candidate_potentials(capm_kmeans_seed_pass *pass, capm_kmeans_isa isa);

/// The closest update: D(xᵢ)² ← min(D(xᵢ)², ‖xᵢ − center‖²) (Swift's `min(old, new)`; `=` when `initialise`);
/// returns Σᵢ wᵢ·D(xᵢ)² in row order.
double capm_kmeans_update_closest(const capm_kmeans_seed_pass *pass, capm_kmeans_isa isa);

/// Per-cluster distance sums of the silhouette (Segmentation's `ClusterMetrics.silhouette`) for `count` rows
/// a = first … first + count − 1 of an m × d sample, for one or more clusterings of the sample at once (each
/// distance is computed once and added for every clustering): `sums[(a − first)·width + s]` = Σ over rows b with
/// slot s among `slots[q·m + b]` (q = 0 … labelings − 1), b ascending, of √(Σⱼ (x_aj − x_bj)²), the squares added in
/// feature order, multiply then add (no FMA). A clustering's slots are its labels offset by the clusters of the
/// clusterings before it. The row itself adds its distance 0 to its own clusters. Both instruction sets give the same
/// bits as the scalar loop, and the same as one clustering per call.
typedef struct capm_silhouette_pass {
    size_t m;
    size_t d;
    /// Slots per row (the clusterings' cluster counts added); every slot index is in 0 ..< width.
    size_t width;
    /// Number of clusterings (≥ 1).
    size_t labelings;
    /// m × d row-major sample.
    const double *x;
    /// The sample feature-major in blocks of 4 rows, `blocks[(4q)·d + 4j + l]` = x[(4q + l)·d + j] (⌈m/4⌉ blocks;
    /// rows past m are never read as distances), for the AVX2 version; NULL runs the portable loop.
    const double *blocks;
    /// labelings × m slot indices, clustering by clustering.
    const int32_t *slots;
    /// First sample row of this call and the number of rows.
    size_t first;
    size_t count;
    /// Output, count × width, overwritten.
    double *sums;
} capm_silhouette_pass;

/// Fills `sums` (see `capm_silhouette_pass`).
void capm_silhouette_sums(const capm_silhouette_pass *pass, capm_kmeans_isa isa);

/// The nearest and second-nearest of k centroids to one row (Segmentation's Hamerly full search): squared distances
/// t² = Σⱼ (xⱼ − cⱼ)² added in feature order, multiply then add, visited in centroid order as the scalar loop does —
/// a smaller t² makes the previous best the second, an equal or larger one below the second replaces it — so both
/// instruction sets give its bits. `index` is the nearest (the lowest index on ties), `best` and `second` the two
/// squared distances (+∞ when k < 2).
typedef struct capm_nearest_two {
    int32_t index;
    double best;
    double second;
} capm_nearest_two;

/// `centroids`: k × d row-major (portable); `blocks`: the same feature-major in blocks of 4 centroids,
/// `blocks[4q·d + 4j + l]` = centroid 4q + l, feature j (AVX2; NULL runs the portable loop).
capm_nearest_two capm_kmeans_nearest_two(const double *x, const double *centroids, const double *blocks, size_t k,
                                         size_t d, capm_kmeans_isa isa);

#endif
