using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Shared.Deidentification;

/// <summary>
/// Applies the Basic Application Level Confidentiality Profile (DICOM PS3.15 E.1) to Part 10 files: the attributes of
/// <see cref="BasicProfile.Table"/> removed or emptied, every instance UID replaced (the same replacement for the same
/// UID under one key, so a study's files still belong together), private attributes, curves, overlays and person
/// names removed, in nested sequences too. Scans that declare burned-in annotation are refused unless allowed: the
/// profile's Clean Pixel Data option is not implemented, so text in the pixels would leave unchanged.
/// </summary>
public sealed class DicomDeidentifier
{
    private static readonly DicomTag BurnedInAnnotation = new(0x0028, 0x0301);
    private static readonly DicomTag PatientIdentityRemoved = new(0x0012, 0x0062);
    private static readonly DicomTag DeidentificationMethod = new(0x0012, 0x0063);

    private readonly byte[] _uidKey;
    private readonly bool _allowBurnedIn;

    /// <summary>Creates a de-identifier.</summary>
    /// <param name="uidKey">Key of the UID replacement (at least 16 bytes); the same key gives the same replacements, so runs over parts of one dataset agree.</param>
    /// <param name="allowBurnedIn">Write scans that declare burned-in annotation (after a person has checked their pixels).</param>
    public DicomDeidentifier(byte[] uidKey, bool allowBurnedIn = false)
    {
        ArgumentNullException.ThrowIfNull(uidKey);
        if (uidKey.Length < 16)
        {
            throw new ArgumentException("The UID key needs at least 16 bytes.", nameof(uidKey));
        }

        _uidKey = [.. uidKey];
        _allowBurnedIn = allowBurnedIn;
    }

    /// <summary>What was changed so far.</summary>
    public DeidentificationSummary Summary { get; } = new();

    /// <summary>The replacement of a UID: "2.25." and 128 bits of HMAC-SHA256 under the key, as a decimal (PS3.5 B.2).</summary>
    public string RemapUid(string uid)
    {
        ArgumentNullException.ThrowIfNull(uid);
        var hash = HMACSHA256.HashData(_uidKey, Encoding.ASCII.GetBytes(uid));
        return "2.25." + new BigInteger(hash.AsSpan(0, 16), isUnsigned: true, isBigEndian: true).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>De-identifies one file; anything that is not a readable DICOM file is a refusal with its code.</summary>
    public DeidentificationOutcome Deidentify(ReadOnlyMemory<byte> bytes)
    {
        Summary.Read();
        if (ScanFormatSniffer.Detect(bytes.Span[..Math.Min(bytes.Length, ScanFormatSniffer.PrefixLength)]) != ScanFormat.Dicom)
        {
            return Refuse("NotDicom");
        }

        DicomFile file;
        try
        {
            file = DicomFile.Parse(bytes);
        }
        catch (ImagingException exception)
        {
            return Refuse(exception.ErrorCode);
        }

        if (file.TransferSyntax.IsBigEndian)
        {
            return Refuse("UnsupportedTransferSyntax");
        }

        if (!_allowBurnedIn && string.Equals(file.Dataset.GetString(BurnedInAnnotation)?.Trim(), "YES", StringComparison.OrdinalIgnoreCase))
        {
            return Refuse("BurnedInAnnotation");
        }

        var dataset = Clean(file.Dataset);
        dataset.Set(DicomElementFactory.Text(PatientIdentityRemoved, DicomVR.CS, "YES"));
        dataset.Set(DicomElementFactory.Text(DeidentificationMethod, DicomVR.LO, BasicProfile.MethodDescription));
        byte[] written;
        try
        {
            var frames = Math.Max(1, dataset.GetInt32(DicomTags.NumberOfFrames) ?? 1);
            written = file.TransferSyntax.IsEncapsulated && dataset.Get(DicomTags.PixelData)?.Fragments is { } fragments
                ? DicomWriter.WriteEncapsulated(dataset, file.TransferSyntax, [.. Enumerable.Range(0, frames).Select(f => EncapsulatedFrames.GetFrame(fragments, dataset, frames, f, file.TransferSyntax).ToArray())])
                : DicomWriter.Write(dataset, file.TransferSyntax);
        }
        catch (ImagingException exception)
        {
            return Refuse(exception.ErrorCode);
        }

        Summary.Wrote();
        return new DeidentificationOutcome(written, dataset.GetString(DicomTags.StudyInstanceUid), dataset.GetString(DicomTags.SeriesInstanceUid), dataset.GetString(DicomTags.SopInstanceUid), null);
    }

    /// <summary>Counts a file that could not even be read (too large, unreadable) as refused with <paramref name="code"/>.</summary>
    public DeidentificationOutcome Unreadable(string code)
    {
        Summary.Read();
        return Refuse(code);
    }

    private DeidentificationOutcome Refuse(string code)
    {
        Summary.Refuse(code);
        return DeidentificationOutcome.Refused(code);
    }

    private DicomDataset Clean(DicomDataset source)
    {
        var cleaned = new DicomDataset();
        foreach (var element in source.Elements)
        {
            var tag = element.Tag;
            if (tag.IsPrivate)
            {
                Summary.Change("private attributes: removed");
                continue;
            }

            if ((tag.Group & 0xFF00) is 0x5000 or 0x6000)
            {
                Summary.Change("curves and overlays (50xx, 60xx): removed");
                continue;
            }

            if (BasicProfile.Table.TryGetValue(tag, out var row))
            {
                Summary.Change($"{tag} {row.Keyword}: {row.Action}");
                switch (row.Action)
                {
                    case DeidentificationAction.Empty:
                        cleaned.Set(DicomElement.CreateValue(tag, element.VR, ReadOnlyMemory<byte>.Empty));
                        break;
                    case DeidentificationAction.RemapUid:
                        cleaned.Set(Remapped(element));
                        break;
                }

                continue;
            }

            if (element.VR == DicomVR.UI && !BasicProfile.KeptUids.Contains(tag))
            {
                Summary.Change("instance UIDs: RemapUid");
                cleaned.Set(Remapped(element));
            }
            else if (element.VR == DicomVR.PN)
            {
                Summary.Change("other person names: Remove");
            }
            else if (element.VR == DicomVR.SQ)
            {
                cleaned.Set(DicomElement.CreateSequence(tag, [.. element.Items.Select(Clean)]));
            }
            else
            {
                cleaned.Set(element);
            }
        }

        return cleaned;
    }

    private DicomElement Remapped(DicomElement element)
    {
        var values = Encoding.ASCII.GetString(element.Value.Span).TrimEnd('\0', ' ').Split('\\');
        return DicomElementFactory.Text(element.Tag, DicomVR.UI, string.Join('\\', values.Select(v => v.Length == 0 ? v : RemapUid(v.Trim()))));
    }
}
