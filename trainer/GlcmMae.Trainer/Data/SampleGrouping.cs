namespace GlcmMae.Trainer.Data;

/// <summary>What keeps images together when splitting, so no split sees another's study.</summary>
internal enum SampleGrouping
{
    /// <summary>Frames of one file stay together.</summary>
    File,

    /// <summary>Files of one DICOM study stay together (files without a Study Instance UID group by file).</summary>
    Study,
}
