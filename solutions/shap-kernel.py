import math


def shapley_kernel(samples: np.ndarray) -> np.ndarray:
    """The Shapley kernel's weight for each on/off sample; infinite when all or no segments are shown."""
    num_segments = samples.shape[1]  # M
    shown = samples.sum(axis=1)  # |z'|: how many segments each sample shows
    # how many coalitions show as many segments: M choose |z'|
    num_coalitions = np.array([math.comb(num_segments, k) for k in shown], dtype=float)
    with np.errstate(divide="ignore"):  # none or all shown: x / 0 is infinity
        return (num_segments - 1) / (num_coalitions * shown * (num_segments - shown))


sizes = np.array([1, 2, num_segments // 4, num_segments // 2, round(0.8 * num_segments), num_segments - 2, num_segments - 1])
examples = (np.arange(num_segments) < sizes[:, np.newaxis]).astype(int)  # the first k segments shown
coalitions_of_size = np.array([math.comb(num_segments, int(k)) for k in sizes], dtype=float)
pd.DataFrame({
    "segments shown": sizes,
    "coalitions of that size": coalitions_of_size,
    "Shapley kernel, each": shapley_kernel(examples),
    "all of them together": coalitions_of_size * shapley_kernel(examples),
    "our samples of that size": [int(np.sum(samples.sum(axis=1) == k)) for k in sizes],
})
