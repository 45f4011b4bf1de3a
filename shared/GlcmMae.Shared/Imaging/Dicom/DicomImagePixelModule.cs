using System.Globalization;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Writes the Image Pixel module attributes that describe native (uncompressed) pixel data, for datasets built in code.</summary>
public static class DicomImagePixelModule
{
    /// <summary>Sets samples per pixel, photometric interpretation (and planar configuration 0 for colour), size, bit layout and frame count; not the pixel data.</summary>
    public static DicomDataset SetImagePixelModule(
        this DicomDataset dataset, int rows, int columns, int bitsAllocated, int bitsStored, bool signed,
        int samplesPerPixel = 1, string photometric = "MONOCHROME2", int frames = 1)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        dataset.Set(DicomElementFactory.UInt16(DicomTags.SamplesPerPixel, (ushort)samplesPerPixel));
        dataset.Set(DicomElementFactory.Text(DicomTags.PhotometricInterpretation, DicomVR.CS, photometric));
        if (samplesPerPixel > 1)
        {
            dataset.Set(DicomElementFactory.UInt16(DicomTags.PlanarConfiguration, 0));
        }

        dataset.Set(DicomElementFactory.UInt16(DicomTags.Rows, (ushort)rows));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.Columns, (ushort)columns));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsAllocated, (ushort)bitsAllocated));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.BitsStored, (ushort)bitsStored));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.HighBit, (ushort)(bitsStored - 1)));
        dataset.Set(DicomElementFactory.UInt16(DicomTags.PixelRepresentation, (ushort)(signed ? 1 : 0)));
        if (frames > 1)
        {
            dataset.Set(DicomElementFactory.Text(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture)));
        }

        return dataset;
    }
}
