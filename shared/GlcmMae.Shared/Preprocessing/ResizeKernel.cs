namespace GlcmMae.Shared.Preprocessing;

/// <summary>Interpolation kernels for resizing; both widen their support when downscaling (antialiasing), as PIL does.</summary>
public enum ResizeKernel
{
    /// <summary>Triangle filter, support 1.</summary>
    Bilinear,

    /// <summary>Keys cubic convolution with a = -0.5 (Catmull-Rom), support 2.</summary>
    Bicubic,
}
