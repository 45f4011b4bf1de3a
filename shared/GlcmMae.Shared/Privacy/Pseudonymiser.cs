using System.Security.Cryptography;
using System.Text;
using GlcmMae.Shared.Contracts;

namespace GlcmMae.Shared.Privacy;

/// <summary>
/// Keyed pseudonyms (HMAC-SHA256, 128 bits shown) for blob names and DICOM UIDs. The same value always gets the same
/// pseudonym under one key, so consumers can group by study or series; without the key a pseudonym reveals nothing and
/// cannot be recomputed from a guessed name; with it, a hospital system computes the pseudonym of its own identifiers
/// to find the matching messages (<c>glcmmae pseudonym</c>).
/// </summary>
public sealed class Pseudonymiser
{
    /// <summary>Shortest key accepted.</summary>
    public const int MinimumKeyBytes = 32;

    private readonly byte[] _key;

    /// <summary>Creates a pseudonymiser with <paramref name="key"/> (at least <see cref="MinimumKeyBytes"/> bytes).</summary>
    public Pseudonymiser(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"A pseudonymisation key needs at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        _key = [.. key];
    }

    /// <summary>The pseudonym of <paramref name="value"/>: "p-" and 32 hex digits.</summary>
    public string Pseudonym(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "p-" + Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(value)))[..32];
    }

    /// <summary>The scan reference with its blob name and UIDs replaced; container, ETag, hash, format, modality and frame stay.</summary>
    public ScanReference Apply(ScanReference scan)
    {
        ArgumentNullException.ThrowIfNull(scan);
        return scan with
        {
            BlobName = Pseudonym(scan.BlobName),
            StudyInstanceUid = scan.StudyInstanceUid is { } study ? Pseudonym(study) : null,
            SeriesInstanceUid = scan.SeriesInstanceUid is { } series ? Pseudonym(series) : null,
            SopInstanceUid = scan.SopInstanceUid is { } sop ? Pseudonym(sop) : null,
        };
    }
}
