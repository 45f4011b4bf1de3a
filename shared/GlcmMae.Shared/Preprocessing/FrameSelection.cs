namespace GlcmMae.Shared.Preprocessing;

/// <summary>Which frame of a multi-frame scan is classified.</summary>
public enum FrameSelection
{
    /// <summary>The first frame.</summary>
    First,

    /// <summary>The middle frame (frames / 2), usually the most representative of a sweep.</summary>
    Middle,

    /// <summary>The frame given by <see cref="PreprocessingSpec.FrameIndex"/>, clamped to the frames present.</summary>
    Index,
}
