namespace GlcmMae.Trainer.Losses;

/// <summary>How the soft GLCM loss is computed; both give the same values.</summary>
internal enum GlcmFormulation
{
    /// <summary>Only the bins within reach of each value, one membership tensor per pixel, coalesced sparse counts.</summary>
    Sparse,

    /// <summary>The method's reference form: dense (pairs x K) memberships per map and G = H_ref^T H_nb.</summary>
    Direct,
}
