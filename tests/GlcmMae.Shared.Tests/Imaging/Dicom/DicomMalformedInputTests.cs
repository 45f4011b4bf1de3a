using System.Buffers.Binary;
using GlcmMae.Shared.Imaging;
using GlcmMae.Shared.Imaging.Dicom;
using GlcmMae.Testing;

namespace GlcmMae.Shared.Tests.Imaging.Dicom;

public sealed class DicomMalformedInputTests
{
    private static byte[] ValidFile(DicomTransferSyntax syntax) =>
        DicomWriter.Write(SyntheticDicom.Grayscale(16, 16, 16, 12, true, (f, r, c) => (r * 16) + c - 100, frames: 2).WithPatient(), syntax);

    [Fact]
    public void Truncated_file_names_the_offset()
    {
        var bytes = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);

        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes.AsMemory(0, bytes.Length - 300)));

        Assert.True(error.Offset > 132);
        Assert.Equal("CorruptFile", error.ErrorCode);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void Text_that_is_not_dicom_is_rejected()
    {
        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse("hello, this is not a scan at all"u8.ToArray()));

        Assert.Contains("neither", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Element_length_beyond_the_file_is_rejected()
    {
        var bytes = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        var modality = FindTag(bytes, DicomTags.Modality);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(modality + 6), 0xFFF0);

        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes));

        Assert.Equal(modality, error.Offset);
    }

    [Fact]
    public void Nesting_deeper_than_the_limit_is_rejected()
    {
        var inner = new DicomDataset();
        inner.Set(DicomElementFactory.Text(DicomTags.Modality, DicomVR.CS, "CT"));
        for (var depth = 0; depth < 20; depth++)
        {
            var outer = new DicomDataset();
            outer.Set(DicomElement.CreateSequence(DicomTags.ReferencedImageSequence, [inner]));
            inner = outer;
        }

        var bytes = DicomWriter.Write(inner, DicomTransferSyntax.ExplicitVRLittleEndian);

        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes, DicomReadMode.Full, new DicomReaderOptions { MaxSequenceDepth = 8 }));
        Assert.Contains("nested deeper", error.Message, StringComparison.Ordinal);
        Assert.Equal(20, CountDepth(DicomFile.Parse(bytes, DicomReadMode.Full, new DicomReaderOptions { MaxSequenceDepth = 32 }).Dataset));
    }

    [Fact]
    public void Pixel_data_over_the_limit_is_refused_before_decoding()
    {
        var file = DicomFile.Parse(ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian));

        var error = Assert.Throws<ImageTooLargeException>(() => DicomPixelData.Create(file, new DicomReaderOptions { MaxPixelBytes = 1000 }));

        Assert.Equal("ImageTooLarge", error.ErrorCode);
    }

    [Fact]
    public void Error_messages_never_contain_patient_data()
    {
        var bytes = ValidFile(DicomTransferSyntax.ExplicitVRLittleEndian);
        var name = FindTag(bytes, DicomTags.PatientName);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(name + 6), 0xFFF0);

        var error = Assert.Throws<DicomFormatException>(() => DicomFile.Parse(bytes));

        Assert.DoesNotContain("Doe", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("PID-0042", error.ToString(), StringComparison.Ordinal);
    }

    private static int CountDepth(DicomDataset dataset)
    {
        var depth = 0;
        while (dataset.GetSequence(DicomTags.ReferencedImageSequence) is [var item])
        {
            depth++;
            dataset = item;
        }

        return depth;
    }

    internal static int FindTag(byte[] bytes, DicomTag tag)
    {
        for (var i = 132; i < bytes.Length - 4; i += 1)
        {
            if (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i)) == tag.Group && BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(i + 2)) == tag.Element)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"{tag} not found");
    }
}
