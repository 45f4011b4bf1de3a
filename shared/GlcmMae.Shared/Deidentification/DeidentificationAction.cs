namespace GlcmMae.Shared.Deidentification;

/// <summary>What the Basic Application Level Confidentiality Profile does to an attribute (PS3.15 Table E.1-1 action codes).</summary>
public enum DeidentificationAction
{
    /// <summary>X: remove the attribute.</summary>
    Remove,

    /// <summary>Z: keep the attribute with an empty value (Type 2 attributes that must be present).</summary>
    Empty,

    /// <summary>U: replace the UID by another one, the same replacement for the same UID throughout the dataset.</summary>
    RemapUid,
}
