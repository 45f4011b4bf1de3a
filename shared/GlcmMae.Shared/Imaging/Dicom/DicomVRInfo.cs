namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>Facts about value representations that the reader and writer need.</summary>
public static class DicomVRInfo
{
    /// <summary>Parses two ASCII bytes as a VR; false when they are not one the standard defines.</summary>
    public static bool TryParse(byte first, byte second, out DicomVR vr)
    {
        vr = (DicomVR)((first << 8) | second);
        return Enum.IsDefined(vr) && vr != DicomVR.None;
    }

    /// <summary>True for VRs whose explicit-VR header has two reserved bytes and a 32-bit length (PS3.5 7.1.2).</summary>
    public static bool HasLongLength(DicomVR vr) => vr is DicomVR.OB or DicomVR.OD or DicomVR.OF or DicomVR.OL
        or DicomVR.OV or DicomVR.OW or DicomVR.SQ or DicomVR.SV or DicomVR.UC or DicomVR.UN or DicomVR.UR
        or DicomVR.UT or DicomVR.UV;

    /// <summary>True for text VRs (padded with spaces, backslash-separated values).</summary>
    public static bool IsText(DicomVR vr) => vr is DicomVR.AE or DicomVR.AS or DicomVR.CS or DicomVR.DA
        or DicomVR.DS or DicomVR.DT or DicomVR.IS or DicomVR.LO or DicomVR.LT or DicomVR.PN or DicomVR.SH
        or DicomVR.ST or DicomVR.TM or DicomVR.UC or DicomVR.UI or DicomVR.UR or DicomVR.UT;

    /// <summary>Size of one binary value (for byte swapping); 1 for byte and text VRs.</summary>
    public static int ValueSize(DicomVR vr) => vr switch
    {
        DicomVR.SS or DicomVR.US or DicomVR.OW or DicomVR.AT => 2,
        DicomVR.SL or DicomVR.UL or DicomVR.FL or DicomVR.OF or DicomVR.OL => 4,
        DicomVR.FD or DicomVR.OD or DicomVR.SV or DicomVR.UV or DicomVR.OV => 8,
        _ => 1,
    };
}
