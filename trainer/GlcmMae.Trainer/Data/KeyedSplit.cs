using System.Security.Cryptography;
using System.Text;

namespace GlcmMae.Trainer.Data;

/// <summary>
/// Splits that stay put as data grows: a group's split (train, validation or test) is a function of a keyed hash of
/// its grouping key (the Study Instance UID, else the file's path below the dataset root) and nothing else, so a study
/// that was test stays test in every later retrain, and new studies fall into the splits in the configured proportions.
/// </summary>
/// <remarks>
/// HMAC-SHA256 under the key spreads the groups uniformly over [0, 1); test takes the first <c>testFraction</c> of it,
/// validation the next <c>validationFraction</c>. The key keeps the assignment from being predictable from the UIDs
/// alone; changing it reshuffles every split (and so the comparability of models across retrains). Unlike the seeded
/// split, classes are not stratified exactly: each class's share of a split converges to the fraction as it grows.
/// </remarks>
internal sealed class KeyedSplit
{
    private readonly byte[] _key;
    private readonly double _validationFraction;
    private readonly double _testFraction;

    public KeyedSplit(string key, double validationFraction, double testFraction)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (validationFraction < 0 || testFraction < 0 || validationFraction + testFraction >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(validationFraction), $"Validation ({validationFraction}) and test ({testFraction}) fractions must be non-negative and leave room for training.");
        }

        _key = Encoding.UTF8.GetBytes(key);
        _validationFraction = validationFraction;
        _testFraction = testFraction;
    }

    /// <summary>The split of one group.</summary>
    public DatasetSplit SplitOf(string groupKey)
    {
        ArgumentNullException.ThrowIfNull(groupKey);
        var position = Position(groupKey);
        return position < _testFraction ? DatasetSplit.Test
            : position < _testFraction + _validationFraction ? DatasetSplit.Validation
            : DatasetSplit.Train;
    }

    /// <summary>The indices of every split; a manifest's split column, where it has one, still decides (as in <see cref="DatasetSplitter"/>).</summary>
    public SplitIndices Split(IReadOnlyList<ImageSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var splits = samples.Select(s => s.Split ?? SplitOf(s.Group)).ToArray();
        int[] Of(DatasetSplit split) => [.. Enumerable.Range(0, samples.Count).Where(i => splits[i] == split)];
        return new SplitIndices(Of(DatasetSplit.Train), Of(DatasetSplit.Validation), Of(DatasetSplit.Test));
    }

    /// <summary>The group's place in [0, 1): the first 8 bytes of HMAC-SHA256(key, group key) over 2^64.</summary>
    private double Position(string groupKey)
    {
        Span<byte> hash = stackalloc byte[32];
        HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(groupKey), hash);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash) / 18446744073709551616.0;
    }
}
