namespace GlcmMae.Shared.Imaging.Dicom.Codecs;

/// <summary>One component of a JPEG 2000 codestream as SIZ declares it.</summary>
internal readonly record struct Jpeg2000Component(int Precision, int Dx, int Dy);
