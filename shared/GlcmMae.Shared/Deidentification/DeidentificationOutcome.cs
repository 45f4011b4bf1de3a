namespace GlcmMae.Shared.Deidentification;

/// <summary>What became of one file: de-identified bytes and their new identifiers, or why not (a code, never a value).</summary>
/// <param name="Bytes">The de-identified Part 10 file, when written.</param>
/// <param name="StudyInstanceUid">Its remapped Study Instance UID.</param>
/// <param name="SeriesInstanceUid">Its remapped Series Instance UID.</param>
/// <param name="SopInstanceUid">Its remapped SOP Instance UID.</param>
/// <param name="Refusal">Why the file was not written: <c>BurnedInAnnotation</c>, <c>NotDicom</c>, <c>CorruptFile</c>, <c>UnsupportedTransferSyntax</c>, ...</param>
public sealed record DeidentificationOutcome(byte[]? Bytes, string? StudyInstanceUid, string? SeriesInstanceUid, string? SopInstanceUid, string? Refusal)
{
    /// <summary>A file that was not written.</summary>
    public static DeidentificationOutcome Refused(string code) => new(null, null, null, null, code);
}
