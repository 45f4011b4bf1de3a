namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>The frame header (SOF3) of a lossless JPEG stream: size, components and their identifiers, sample precision.</summary>
internal sealed record LosslessJpegFrame(int Width, int Height, int Components, int Precision, byte[] Identifiers)
{
    /// <summary>Samples in the frame: Width x Height x Components.</summary>
    public long SampleCount => (long)Width * Height * Components;
}
