namespace GlcmMae.Shared.Privacy;

/// <summary>What published messages say about where a scan came from.</summary>
public enum PrivacyMode
{
    /// <summary>Blob names and DICOM UIDs as they are (they can carry names, record numbers and dates).</summary>
    Off,

    /// <summary>Blob names and DICOM UIDs replaced by keyed pseudonyms (<see cref="Pseudonymiser"/>).</summary>
    Pseudonymise,
}
