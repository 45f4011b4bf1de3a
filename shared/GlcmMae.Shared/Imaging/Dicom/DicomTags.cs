using System.Collections.Frozen;

namespace GlcmMae.Shared.Imaging.Dicom;

/// <summary>The tags GlcmMae reads, their VRs (for implicit-VR files), and which of them identify a patient.</summary>
public static class DicomTags
{
    /// <summary>(0002,0000) FileMetaInformationGroupLength.</summary>
    public static readonly DicomTag FileMetaInformationGroupLength = new(0x0002, 0x0000);

    /// <summary>(0002,0001) FileMetaInformationVersion.</summary>
    public static readonly DicomTag FileMetaInformationVersion = new(0x0002, 0x0001);

    /// <summary>(0002,0002) MediaStorageSopClassUid.</summary>
    public static readonly DicomTag MediaStorageSopClassUid = new(0x0002, 0x0002);

    /// <summary>(0002,0003) MediaStorageSopInstanceUid.</summary>
    public static readonly DicomTag MediaStorageSopInstanceUid = new(0x0002, 0x0003);

    /// <summary>(0002,0010) TransferSyntaxUid.</summary>
    public static readonly DicomTag TransferSyntaxUid = new(0x0002, 0x0010);

    /// <summary>(0002,0012) ImplementationClassUid.</summary>
    public static readonly DicomTag ImplementationClassUid = new(0x0002, 0x0012);

    /// <summary>(0002,0013) ImplementationVersionName.</summary>
    public static readonly DicomTag ImplementationVersionName = new(0x0002, 0x0013);

    /// <summary>(0008,0005) SpecificCharacterSet.</summary>
    public static readonly DicomTag SpecificCharacterSet = new(0x0008, 0x0005);

    /// <summary>(0008,0008) ImageType.</summary>
    public static readonly DicomTag ImageType = new(0x0008, 0x0008);

    /// <summary>(0008,0016) SopClassUid.</summary>
    public static readonly DicomTag SopClassUid = new(0x0008, 0x0016);

    /// <summary>(0008,0018) SopInstanceUid.</summary>
    public static readonly DicomTag SopInstanceUid = new(0x0008, 0x0018);

    /// <summary>(0008,0020) StudyDate.</summary>
    public static readonly DicomTag StudyDate = new(0x0008, 0x0020);

    /// <summary>(0008,0030) StudyTime.</summary>
    public static readonly DicomTag StudyTime = new(0x0008, 0x0030);

    /// <summary>(0008,0050) AccessionNumber.</summary>
    public static readonly DicomTag AccessionNumber = new(0x0008, 0x0050);

    /// <summary>(0008,0060) Modality.</summary>
    public static readonly DicomTag Modality = new(0x0008, 0x0060);

    /// <summary>(0008,0070) Manufacturer.</summary>
    public static readonly DicomTag Manufacturer = new(0x0008, 0x0070);

    /// <summary>(0008,0080) InstitutionName.</summary>
    public static readonly DicomTag InstitutionName = new(0x0008, 0x0080);

    /// <summary>(0008,0081) InstitutionAddress.</summary>
    public static readonly DicomTag InstitutionAddress = new(0x0008, 0x0081);

    /// <summary>(0008,0090) ReferringPhysicianName.</summary>
    public static readonly DicomTag ReferringPhysicianName = new(0x0008, 0x0090);

    /// <summary>(0008,1030) StudyDescription.</summary>
    public static readonly DicomTag StudyDescription = new(0x0008, 0x1030);

    /// <summary>(0008,103E) SeriesDescription.</summary>
    public static readonly DicomTag SeriesDescription = new(0x0008, 0x103E);

    /// <summary>(0008,1070) OperatorsName.</summary>
    public static readonly DicomTag OperatorsName = new(0x0008, 0x1070);

    /// <summary>(0010,0010) PatientName.</summary>
    public static readonly DicomTag PatientName = new(0x0010, 0x0010);

    /// <summary>(0010,0020) PatientId.</summary>
    public static readonly DicomTag PatientId = new(0x0010, 0x0020);

    /// <summary>(0010,0021) IssuerOfPatientId.</summary>
    public static readonly DicomTag IssuerOfPatientId = new(0x0010, 0x0021);

    /// <summary>(0010,0030) PatientBirthDate.</summary>
    public static readonly DicomTag PatientBirthDate = new(0x0010, 0x0030);

    /// <summary>(0010,0032) PatientBirthTime.</summary>
    public static readonly DicomTag PatientBirthTime = new(0x0010, 0x0032);

    /// <summary>(0010,0040) PatientSex.</summary>
    public static readonly DicomTag PatientSex = new(0x0010, 0x0040);

    /// <summary>(0010,1000) OtherPatientIds.</summary>
    public static readonly DicomTag OtherPatientIds = new(0x0010, 0x1000);

    /// <summary>(0010,1001) OtherPatientNames.</summary>
    public static readonly DicomTag OtherPatientNames = new(0x0010, 0x1001);

    /// <summary>(0010,1010) PatientAge.</summary>
    public static readonly DicomTag PatientAge = new(0x0010, 0x1010);

    /// <summary>(0010,1040) PatientAddress.</summary>
    public static readonly DicomTag PatientAddress = new(0x0010, 0x1040);

    /// <summary>(0010,2154) PatientTelephoneNumbers.</summary>
    public static readonly DicomTag PatientTelephoneNumbers = new(0x0010, 0x2154);

    /// <summary>(0010,4000) PatientComments.</summary>
    public static readonly DicomTag PatientComments = new(0x0010, 0x4000);

    /// <summary>(0018,0015) BodyPartExamined.</summary>
    public static readonly DicomTag BodyPartExamined = new(0x0018, 0x0015);

    /// <summary>(0020,000D) StudyInstanceUid.</summary>
    public static readonly DicomTag StudyInstanceUid = new(0x0020, 0x000D);

    /// <summary>(0020,000E) SeriesInstanceUid.</summary>
    public static readonly DicomTag SeriesInstanceUid = new(0x0020, 0x000E);

    /// <summary>(0020,0010) StudyId.</summary>
    public static readonly DicomTag StudyId = new(0x0020, 0x0010);

    /// <summary>(0020,0011) SeriesNumber.</summary>
    public static readonly DicomTag SeriesNumber = new(0x0020, 0x0011);

    /// <summary>(0020,0013) InstanceNumber.</summary>
    public static readonly DicomTag InstanceNumber = new(0x0020, 0x0013);

    /// <summary>(0028,0002) SamplesPerPixel.</summary>
    public static readonly DicomTag SamplesPerPixel = new(0x0028, 0x0002);

    /// <summary>(0028,0004) PhotometricInterpretation.</summary>
    public static readonly DicomTag PhotometricInterpretation = new(0x0028, 0x0004);

    /// <summary>(0028,0006) PlanarConfiguration.</summary>
    public static readonly DicomTag PlanarConfiguration = new(0x0028, 0x0006);

    /// <summary>(0028,0008) NumberOfFrames.</summary>
    public static readonly DicomTag NumberOfFrames = new(0x0028, 0x0008);

    /// <summary>(0028,0010) Rows.</summary>
    public static readonly DicomTag Rows = new(0x0028, 0x0010);

    /// <summary>(0028,0011) Columns.</summary>
    public static readonly DicomTag Columns = new(0x0028, 0x0011);

    /// <summary>(0028,0030) PixelSpacing.</summary>
    public static readonly DicomTag PixelSpacing = new(0x0028, 0x0030);

    /// <summary>(0028,0100) BitsAllocated.</summary>
    public static readonly DicomTag BitsAllocated = new(0x0028, 0x0100);

    /// <summary>(0028,0101) BitsStored.</summary>
    public static readonly DicomTag BitsStored = new(0x0028, 0x0101);

    /// <summary>(0028,0102) HighBit.</summary>
    public static readonly DicomTag HighBit = new(0x0028, 0x0102);

    /// <summary>(0028,0103) PixelRepresentation.</summary>
    public static readonly DicomTag PixelRepresentation = new(0x0028, 0x0103);

    /// <summary>(0028,1050) WindowCenter.</summary>
    public static readonly DicomTag WindowCenter = new(0x0028, 0x1050);

    /// <summary>(0028,1051) WindowWidth.</summary>
    public static readonly DicomTag WindowWidth = new(0x0028, 0x1051);

    /// <summary>(0028,1052) RescaleIntercept.</summary>
    public static readonly DicomTag RescaleIntercept = new(0x0028, 0x1052);

    /// <summary>(0028,1053) RescaleSlope.</summary>
    public static readonly DicomTag RescaleSlope = new(0x0028, 0x1053);

    /// <summary>(0028,1054) RescaleType.</summary>
    public static readonly DicomTag RescaleType = new(0x0028, 0x1054);

    /// <summary>(0028,1055) WindowCenterWidthExplanation.</summary>
    public static readonly DicomTag WindowCenterWidthExplanation = new(0x0028, 0x1055);

    /// <summary>(0028,1056) VoiLutFunction.</summary>
    public static readonly DicomTag VoiLutFunction = new(0x0028, 0x1056);

    /// <summary>(0028,1101) RedPaletteColorLookupTableDescriptor.</summary>
    public static readonly DicomTag RedPaletteColorLookupTableDescriptor = new(0x0028, 0x1101);

    /// <summary>(0028,1102) GreenPaletteColorLookupTableDescriptor.</summary>
    public static readonly DicomTag GreenPaletteColorLookupTableDescriptor = new(0x0028, 0x1102);

    /// <summary>(0028,1103) BluePaletteColorLookupTableDescriptor.</summary>
    public static readonly DicomTag BluePaletteColorLookupTableDescriptor = new(0x0028, 0x1103);

    /// <summary>(0028,1201) RedPaletteColorLookupTableData.</summary>
    public static readonly DicomTag RedPaletteColorLookupTableData = new(0x0028, 0x1201);

    /// <summary>(0028,1202) GreenPaletteColorLookupTableData.</summary>
    public static readonly DicomTag GreenPaletteColorLookupTableData = new(0x0028, 0x1202);

    /// <summary>(0028,1203) BluePaletteColorLookupTableData.</summary>
    public static readonly DicomTag BluePaletteColorLookupTableData = new(0x0028, 0x1203);

    /// <summary>(0028,1221) SegmentedRedPaletteColorLookupTableData.</summary>
    public static readonly DicomTag SegmentedRedPaletteColorLookupTableData = new(0x0028, 0x1221);

    /// <summary>(0028,1222) SegmentedGreenPaletteColorLookupTableData.</summary>
    public static readonly DicomTag SegmentedGreenPaletteColorLookupTableData = new(0x0028, 0x1222);

    /// <summary>(0028,1223) SegmentedBluePaletteColorLookupTableData.</summary>
    public static readonly DicomTag SegmentedBluePaletteColorLookupTableData = new(0x0028, 0x1223);

    /// <summary>(0028,3000) ModalityLutSequence.</summary>
    public static readonly DicomTag ModalityLutSequence = new(0x0028, 0x3000);

    /// <summary>(0028,3002) LutDescriptor.</summary>
    public static readonly DicomTag LutDescriptor = new(0x0028, 0x3002);

    /// <summary>(0028,3003) LutExplanation.</summary>
    public static readonly DicomTag LutExplanation = new(0x0028, 0x3003);

    /// <summary>(0028,3004) ModalityLutType.</summary>
    public static readonly DicomTag ModalityLutType = new(0x0028, 0x3004);

    /// <summary>(0028,3006) LutData.</summary>
    public static readonly DicomTag LutData = new(0x0028, 0x3006);

    /// <summary>(0028,3010) VoiLutSequence.</summary>
    public static readonly DicomTag VoiLutSequence = new(0x0028, 0x3010);

    /// <summary>(5200,9230) PerFrameFunctionalGroupsSequence.</summary>
    public static readonly DicomTag PerFrameFunctionalGroupsSequence = new(0x5200, 0x9230);

    /// <summary>(5200,9229) SharedFunctionalGroupsSequence.</summary>
    public static readonly DicomTag SharedFunctionalGroupsSequence = new(0x5200, 0x9229);

    /// <summary>(0008,1140) ReferencedImageSequence.</summary>
    public static readonly DicomTag ReferencedImageSequence = new(0x0008, 0x1140);

    /// <summary>(0008,2112) SourceImageSequence.</summary>
    public static readonly DicomTag SourceImageSequence = new(0x0008, 0x2112);

    /// <summary>(7FE0,0001) ExtendedOffsetTable.</summary>
    public static readonly DicomTag ExtendedOffsetTable = new(0x7FE0, 0x0001);

    /// <summary>(7FE0,0002) ExtendedOffsetTableLengths.</summary>
    public static readonly DicomTag ExtendedOffsetTableLengths = new(0x7FE0, 0x0002);

    /// <summary>(7FE0,0008) FloatPixelData.</summary>
    public static readonly DicomTag FloatPixelData = new(0x7FE0, 0x0008);

    /// <summary>(7FE0,0009) DoubleFloatPixelData.</summary>
    public static readonly DicomTag DoubleFloatPixelData = new(0x7FE0, 0x0009);

    /// <summary>(7FE0,0010) PixelData.</summary>
    public static readonly DicomTag PixelData = new(0x7FE0, 0x0010);

    /// <summary>(FFFE,E000) Item.</summary>
    public static readonly DicomTag Item = new(0xFFFE, 0xE000);

    /// <summary>(FFFE,E00D) ItemDelimitationItem.</summary>
    public static readonly DicomTag ItemDelimitationItem = new(0xFFFE, 0xE00D);

    /// <summary>(FFFE,E0DD) SequenceDelimitationItem.</summary>
    public static readonly DicomTag SequenceDelimitationItem = new(0xFFFE, 0xE0DD);

    private static readonly FrozenDictionary<DicomTag, DicomVR> KnownVRs = new Dictionary<DicomTag, DicomVR>
    {
        [FileMetaInformationGroupLength] = DicomVR.UL,
        [FileMetaInformationVersion] = DicomVR.OB,
        [MediaStorageSopClassUid] = DicomVR.UI,
        [MediaStorageSopInstanceUid] = DicomVR.UI,
        [TransferSyntaxUid] = DicomVR.UI,
        [ImplementationClassUid] = DicomVR.UI,
        [ImplementationVersionName] = DicomVR.SH,
        [SpecificCharacterSet] = DicomVR.CS,
        [ImageType] = DicomVR.CS,
        [SopClassUid] = DicomVR.UI,
        [SopInstanceUid] = DicomVR.UI,
        [StudyDate] = DicomVR.DA,
        [StudyTime] = DicomVR.TM,
        [AccessionNumber] = DicomVR.SH,
        [Modality] = DicomVR.CS,
        [Manufacturer] = DicomVR.LO,
        [InstitutionName] = DicomVR.LO,
        [InstitutionAddress] = DicomVR.ST,
        [ReferringPhysicianName] = DicomVR.PN,
        [StudyDescription] = DicomVR.LO,
        [SeriesDescription] = DicomVR.LO,
        [OperatorsName] = DicomVR.PN,
        [PatientName] = DicomVR.PN,
        [PatientId] = DicomVR.LO,
        [IssuerOfPatientId] = DicomVR.LO,
        [PatientBirthDate] = DicomVR.DA,
        [PatientBirthTime] = DicomVR.TM,
        [PatientSex] = DicomVR.CS,
        [OtherPatientIds] = DicomVR.LO,
        [OtherPatientNames] = DicomVR.PN,
        [PatientAge] = DicomVR.AS,
        [PatientAddress] = DicomVR.LO,
        [PatientTelephoneNumbers] = DicomVR.SH,
        [PatientComments] = DicomVR.LT,
        [BodyPartExamined] = DicomVR.CS,
        [StudyInstanceUid] = DicomVR.UI,
        [SeriesInstanceUid] = DicomVR.UI,
        [StudyId] = DicomVR.SH,
        [SeriesNumber] = DicomVR.IS,
        [InstanceNumber] = DicomVR.IS,
        [SamplesPerPixel] = DicomVR.US,
        [PhotometricInterpretation] = DicomVR.CS,
        [PlanarConfiguration] = DicomVR.US,
        [NumberOfFrames] = DicomVR.IS,
        [Rows] = DicomVR.US,
        [Columns] = DicomVR.US,
        [PixelSpacing] = DicomVR.DS,
        [BitsAllocated] = DicomVR.US,
        [BitsStored] = DicomVR.US,
        [HighBit] = DicomVR.US,
        [PixelRepresentation] = DicomVR.US,
        [WindowCenter] = DicomVR.DS,
        [WindowWidth] = DicomVR.DS,
        [RescaleIntercept] = DicomVR.DS,
        [RescaleSlope] = DicomVR.DS,
        [RescaleType] = DicomVR.LO,
        [WindowCenterWidthExplanation] = DicomVR.LO,
        [VoiLutFunction] = DicomVR.CS,
        [RedPaletteColorLookupTableDescriptor] = DicomVR.US,
        [GreenPaletteColorLookupTableDescriptor] = DicomVR.US,
        [BluePaletteColorLookupTableDescriptor] = DicomVR.US,
        [RedPaletteColorLookupTableData] = DicomVR.OW,
        [GreenPaletteColorLookupTableData] = DicomVR.OW,
        [BluePaletteColorLookupTableData] = DicomVR.OW,
        [SegmentedRedPaletteColorLookupTableData] = DicomVR.OW,
        [SegmentedGreenPaletteColorLookupTableData] = DicomVR.OW,
        [SegmentedBluePaletteColorLookupTableData] = DicomVR.OW,
        [ModalityLutSequence] = DicomVR.SQ,
        [LutDescriptor] = DicomVR.US,
        [LutExplanation] = DicomVR.LO,
        [ModalityLutType] = DicomVR.LO,
        [LutData] = DicomVR.OW,
        [VoiLutSequence] = DicomVR.SQ,
        [PerFrameFunctionalGroupsSequence] = DicomVR.SQ,
        [SharedFunctionalGroupsSequence] = DicomVR.SQ,
        [ReferencedImageSequence] = DicomVR.SQ,
        [SourceImageSequence] = DicomVR.SQ,
        [ExtendedOffsetTable] = DicomVR.OV,
        [ExtendedOffsetTableLengths] = DicomVR.OV,
        [FloatPixelData] = DicomVR.OF,
        [DoubleFloatPixelData] = DicomVR.OD,
        [PixelData] = DicomVR.OW,
    }.ToFrozenDictionary();

    /// <summary>Attributes that identify a patient or a person: never logged, printed or put in results (PS3.15 E.1-1).</summary>
    public static readonly FrozenSet<DicomTag> ProtectedHealthInformation = new[]
    {
        AccessionNumber,
        InstitutionName,
        InstitutionAddress,
        ReferringPhysicianName,
        OperatorsName,
        PatientName,
        PatientId,
        IssuerOfPatientId,
        PatientBirthDate,
        PatientBirthTime,
        PatientSex,
        OtherPatientIds,
        OtherPatientNames,
        PatientAge,
        PatientAddress,
        PatientTelephoneNumbers,
        PatientComments,
    }.ToFrozenSet();

    /// <summary>The VR that an implicit-VR file leaves out: from the dictionary, else by the rules for group lengths and private creators, else UN.</summary>
    public static DicomVR LookupVR(DicomTag tag)
    {
        if (KnownVRs.TryGetValue(tag, out var vr))
        {
            return vr;
        }

        if (tag.Element == 0x0000)
        {
            return DicomVR.UL;
        }

        // Private creator elements (gggg,0010-00FF) of odd groups (PS3.5 7.8.1).
        return tag.IsPrivate && tag.Element is >= 0x0010 and <= 0x00FF ? DicomVR.LO : DicomVR.UN;
    }

    /// <summary>True when the attribute identifies a patient or person, including private tags (whose meaning is unknown).</summary>
    public static bool IsProtected(DicomTag tag) => tag.IsPrivate || ProtectedHealthInformation.Contains(tag);
}
