using System.Buffers.Binary;
using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Testing;

/// <summary>Builds small DICOM datasets with known pixel values for tests.</summary>
public static class SyntheticDicom
{
    /// <summary>A grayscale image: pixel (r, c) of frame f holds <paramref name="value"/>(f, r, c) as stored.</summary>
    public static DicomDataset Grayscale(int rows, int columns, int bitsAllocated, int bitsStored, bool signed, Func<int, int, int, int> value, int frames = 1, string photometric = "MONOCHROME2", string modality = "CT")
    {
        var bytesPerSample = bitsAllocated / 8;
        var pixels = new byte[rows * columns * bytesPerSample * frames];
        for (var f = 0; f < frames; f++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    var offset = (((f * rows) + r) * columns + c) * bytesPerSample;
                    var v = value(f, r, c);
                    if (bytesPerSample == 1)
                    {
                        pixels[offset] = (byte)v;
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(pixels.AsSpan(offset), (ushort)(short)v);
                    }
                }
            }
        }

        var dataset = Common(modality).SetImagePixelModule(rows, columns, bitsAllocated, bitsStored, signed, photometric: photometric, frames: frames);
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, bitsAllocated == 8 ? DicomVR.OB : DicomVR.OW, pixels));
        return dataset;
    }

    /// <summary>
    /// A 40 x 40 8-bit ultrasound cine loop whose frame f is grey at <paramref name="level"/>(f), with the one black and
    /// one white pixel of <see cref="TestModels.GreyPng"/>, so the test models classify each frame by its level.
    /// </summary>
    public static DicomDataset GreyCine(int frames, Func<int, byte> level, string studyInstanceUid = "2.25.111", string sopInstanceUid = "2.25.1234567890")
    {
        ArgumentNullException.ThrowIfNull(level);
        var dataset = Grayscale(40, 40, 8, 8, false, (f, r, c) => r == 0 && c == 0 ? 0 : r == 0 && c == 1 ? 255 : level(f), frames, modality: "US");
        dataset.Set(DicomElementFactory.Text(DicomTags.StudyInstanceUid, DicomVR.UI, studyInstanceUid));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopInstanceUid, DicomVR.UI, sopInstanceUid));
        return dataset;
    }

    /// <summary>An 8-bit RGB image (planar configuration 0) with channel values from <paramref name="value"/>(r, c, channel).</summary>
    public static DicomDataset Rgb(int rows, int columns, Func<int, int, int, int> value)
    {
        var pixels = new byte[rows * columns * 3];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                for (var s = 0; s < 3; s++)
                {
                    pixels[(((r * columns) + c) * 3) + s] = (byte)value(r, c, s);
                }
            }
        }

        var dataset = Common("US").SetImagePixelModule(rows, columns, 8, 8, false, samplesPerPixel: 3, photometric: "RGB");
        dataset.Set(DicomElementFactory.Bytes(DicomTags.PixelData, DicomVR.OB, pixels));
        return dataset;
    }

    /// <summary>Adds patient attributes with recognisable values, to prove they never leak.</summary>
    public static DicomDataset WithPatient(this DicomDataset dataset)
    {
        dataset.Set(DicomElementFactory.Text(DicomTags.PatientName, DicomVR.PN, "Doe^Jane"));
        dataset.Set(DicomElementFactory.Text(DicomTags.PatientId, DicomVR.LO, "PID-0042"));
        dataset.Set(DicomElementFactory.Text(DicomTags.PatientBirthDate, DicomVR.DA, "19700101"));
        dataset.Set(DicomElementFactory.Text(DicomTags.AccessionNumber, DicomVR.SH, "ACC-777"));
        return dataset;
    }

    private static DicomDataset Common(string modality)
    {
        var dataset = new DicomDataset();
        dataset.Set(DicomElementFactory.Text(DicomTags.SopClassUid, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.7"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SopInstanceUid, DicomVR.UI, "2.25.1234567890"));
        dataset.Set(DicomElementFactory.Text(DicomTags.StudyInstanceUid, DicomVR.UI, "2.25.111"));
        dataset.Set(DicomElementFactory.Text(DicomTags.SeriesInstanceUid, DicomVR.UI, "2.25.222"));
        dataset.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, modality));
        return dataset;
    }
}
