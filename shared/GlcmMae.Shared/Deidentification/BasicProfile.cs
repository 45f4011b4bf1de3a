using GlcmMae.Shared.Imaging.Dicom;

namespace GlcmMae.Shared.Deidentification;

/// <summary>
/// The attributes of DICOM PS3.15 Annex E, Table E.1-1 (Basic Application Level Confidentiality Profile) that imaging
/// objects carry, with the profile's action; where the table allows a choice (X/Z, X/D, X/Z/D) the strictest that keeps
/// the object valid is taken: Z for Type 2 attributes of the patient and study modules, X otherwise. Rules that cover
/// whole classes of attributes (private tags, curves, overlays, person names, instance UIDs) live in
/// <see cref="DicomDeidentifier"/>.
/// </summary>
public static class BasicProfile
{
    /// <summary>The profile's name as written to De-identification Method (0012,0063).</summary>
    public const string MethodDescription = "DICOM PS3.15 E.1 Basic Application Level Confidentiality Profile (glcmmae deid)";

    /// <summary>Tag to (keyword, action).</summary>
    public static IReadOnlyDictionary<DicomTag, (string Keyword, DeidentificationAction Action)> Table { get; } = Build();

    /// <summary>Class and coding-scheme UIDs: they identify kinds of things, not patients or studies, and stay as they are.</summary>
    public static IReadOnlySet<DicomTag> KeptUids { get; } = new HashSet<DicomTag>
    {
        new(0x0002, 0x0002), new(0x0002, 0x0010), new(0x0002, 0x0012), // media storage SOP class, transfer syntax, implementation class
        new(0x0004, 0x1510), new(0x0004, 0x1512), // referenced SOP class / transfer syntax in file
        new(0x0008, 0x0016), new(0x0008, 0x001A), new(0x0008, 0x001B), new(0x0008, 0x0062), // SOP class UIDs
        new(0x0008, 0x010C), new(0x0008, 0x010D), new(0x0008, 0x0117), // coding scheme, context group extension creator, context UID
        new(0x0008, 0x1150), // referenced SOP class UID
        new(0x0400, 0x0010), // MAC calculation transfer syntax UID
    };

    private static Dictionary<DicomTag, (string, DeidentificationAction)> Build()
    {
        const DeidentificationAction X = DeidentificationAction.Remove;
        const DeidentificationAction Z = DeidentificationAction.Empty;
        (ushort Group, ushort Element, string Keyword, DeidentificationAction Action)[] rows =
        [
            (0x0008, 0x0012, "InstanceCreationDate", X),
            (0x0008, 0x0013, "InstanceCreationTime", X),
            (0x0008, 0x0014, "InstanceCreatorUID", DeidentificationAction.RemapUid),
            (0x0008, 0x0020, "StudyDate", Z),
            (0x0008, 0x0021, "SeriesDate", X),
            (0x0008, 0x0022, "AcquisitionDate", X),
            (0x0008, 0x0023, "ContentDate", Z),
            (0x0008, 0x0024, "OverlayDate", X),
            (0x0008, 0x0025, "CurveDate", X),
            (0x0008, 0x002A, "AcquisitionDateTime", X),
            (0x0008, 0x0030, "StudyTime", Z),
            (0x0008, 0x0031, "SeriesTime", X),
            (0x0008, 0x0032, "AcquisitionTime", X),
            (0x0008, 0x0033, "ContentTime", Z),
            (0x0008, 0x0034, "OverlayTime", X),
            (0x0008, 0x0035, "CurveTime", X),
            (0x0008, 0x0050, "AccessionNumber", Z),
            (0x0008, 0x0080, "InstitutionName", X),
            (0x0008, 0x0081, "InstitutionAddress", X),
            (0x0008, 0x0082, "InstitutionCodeSequence", X),
            (0x0008, 0x0090, "ReferringPhysicianName", Z),
            (0x0008, 0x0092, "ReferringPhysicianAddress", X),
            (0x0008, 0x0094, "ReferringPhysicianTelephoneNumbers", X),
            (0x0008, 0x0096, "ReferringPhysicianIdentificationSequence", X),
            (0x0008, 0x0201, "TimezoneOffsetFromUTC", X),
            (0x0008, 0x1010, "StationName", X),
            (0x0008, 0x1030, "StudyDescription", X),
            (0x0008, 0x103E, "SeriesDescription", X),
            (0x0008, 0x1040, "InstitutionalDepartmentName", X),
            (0x0008, 0x1048, "PhysiciansOfRecord", X),
            (0x0008, 0x1049, "PhysiciansOfRecordIdentificationSequence", X),
            (0x0008, 0x1050, "PerformingPhysicianName", X),
            (0x0008, 0x1052, "PerformingPhysicianIdentificationSequence", X),
            (0x0008, 0x1060, "NameOfPhysiciansReadingStudy", X),
            (0x0008, 0x1062, "PhysiciansReadingStudyIdentificationSequence", X),
            (0x0008, 0x1070, "OperatorsName", X),
            (0x0008, 0x1072, "OperatorIdentificationSequence", X),
            (0x0008, 0x1080, "AdmittingDiagnosesDescription", X),
            (0x0008, 0x1084, "AdmittingDiagnosesCodeSequence", X),
            (0x0008, 0x1110, "ReferencedStudySequence", X),
            (0x0008, 0x1111, "ReferencedPerformedProcedureStepSequence", X),
            (0x0008, 0x1120, "ReferencedPatientSequence", X),
            (0x0008, 0x2111, "DerivationDescription", X),
            (0x0008, 0x4000, "IdentifyingComments", X),
            (0x0010, 0x0010, "PatientName", Z),
            (0x0010, 0x0020, "PatientID", Z),
            (0x0010, 0x0021, "IssuerOfPatientID", X),
            (0x0010, 0x0030, "PatientBirthDate", Z),
            (0x0010, 0x0032, "PatientBirthTime", X),
            (0x0010, 0x0040, "PatientSex", Z),
            (0x0010, 0x0050, "PatientInsurancePlanCodeSequence", X),
            (0x0010, 0x0101, "PatientPrimaryLanguageCodeSequence", X),
            (0x0010, 0x0102, "PatientPrimaryLanguageModifierCodeSequence", X),
            (0x0010, 0x1000, "OtherPatientIDs", X),
            (0x0010, 0x1001, "OtherPatientNames", X),
            (0x0010, 0x1002, "OtherPatientIDsSequence", X),
            (0x0010, 0x1005, "PatientBirthName", X),
            (0x0010, 0x1010, "PatientAge", X),
            (0x0010, 0x1020, "PatientSize", X),
            (0x0010, 0x1030, "PatientWeight", X),
            (0x0010, 0x1040, "PatientAddress", X),
            (0x0010, 0x1060, "PatientMotherBirthName", X),
            (0x0010, 0x1080, "MilitaryRank", X),
            (0x0010, 0x1081, "BranchOfService", X),
            (0x0010, 0x1090, "MedicalRecordLocator", X),
            (0x0010, 0x2000, "MedicalAlerts", X),
            (0x0010, 0x2110, "Allergies", X),
            (0x0010, 0x2150, "CountryOfResidence", X),
            (0x0010, 0x2152, "RegionOfResidence", X),
            (0x0010, 0x2154, "PatientTelephoneNumbers", X),
            (0x0010, 0x2160, "EthnicGroup", X),
            (0x0010, 0x2180, "Occupation", X),
            (0x0010, 0x21A0, "SmokingStatus", X),
            (0x0010, 0x21B0, "AdditionalPatientHistory", X),
            (0x0010, 0x21C0, "PregnancyStatus", X),
            (0x0010, 0x21D0, "LastMenstrualDate", X),
            (0x0010, 0x21F0, "PatientReligiousPreference", X),
            (0x0010, 0x2203, "PatientSexNeutered", X),
            (0x0010, 0x2297, "ResponsiblePerson", X),
            (0x0010, 0x2299, "ResponsibleOrganization", X),
            (0x0010, 0x4000, "PatientComments", X),
            (0x0018, 0x1000, "DeviceSerialNumber", X),
            (0x0018, 0x1004, "PlateID", X),
            (0x0018, 0x1005, "GeneratorID", X),
            (0x0018, 0x1007, "CassetteID", X),
            (0x0018, 0x1008, "GantryID", X),
            (0x0018, 0x1030, "ProtocolName", X),
            (0x0018, 0x1400, "AcquisitionDeviceProcessingDescription", X),
            (0x0018, 0x4000, "AcquisitionComments", X),
            (0x0018, 0x700A, "DetectorID", X),
            (0x0018, 0x9424, "AcquisitionProtocolDescription", X),
            (0x0018, 0xA003, "ContributionDescription", X),
            (0x0020, 0x0010, "StudyID", Z),
            (0x0020, 0x4000, "ImageComments", X),
            (0x0020, 0x9158, "FrameComments", X),
            (0x0032, 0x0012, "StudyIDIssuer", X),
            (0x0032, 0x1020, "ScheduledStudyLocation", X),
            (0x0032, 0x1021, "ScheduledStudyLocationAETitle", X),
            (0x0032, 0x1030, "ReasonForStudy", X),
            (0x0032, 0x1032, "RequestingPhysician", X),
            (0x0032, 0x1033, "RequestingService", X),
            (0x0032, 0x1060, "RequestedProcedureDescription", X),
            (0x0032, 0x1070, "RequestedContrastAgent", X),
            (0x0032, 0x4000, "StudyComments", X),
            (0x0038, 0x0004, "ReferencedPatientAliasSequence", X),
            (0x0038, 0x0010, "AdmissionID", X),
            (0x0038, 0x0011, "IssuerOfAdmissionID", X),
            (0x0038, 0x0300, "CurrentPatientLocation", X),
            (0x0038, 0x0400, "PatientInstitutionResidence", X),
            (0x0038, 0x0500, "PatientState", X),
            (0x0038, 0x4000, "VisitComments", X),
            (0x0040, 0x0006, "ScheduledPerformingPhysicianName", X),
            (0x0040, 0x0241, "PerformedStationAETitle", X),
            (0x0040, 0x0242, "PerformedStationName", X),
            (0x0040, 0x0243, "PerformedLocation", X),
            (0x0040, 0x0244, "PerformedProcedureStepStartDate", X),
            (0x0040, 0x0245, "PerformedProcedureStepStartTime", X),
            (0x0040, 0x0250, "PerformedProcedureStepEndDate", X),
            (0x0040, 0x0251, "PerformedProcedureStepEndTime", X),
            (0x0040, 0x0253, "PerformedProcedureStepID", X),
            (0x0040, 0x0254, "PerformedProcedureStepDescription", X),
            (0x0040, 0x0275, "RequestAttributesSequence", X),
            (0x0040, 0x0280, "CommentsOnThePerformedProcedureStep", X),
            (0x0040, 0x1001, "RequestedProcedureID", X),
            (0x0040, 0x1004, "PatientTransportArrangements", X),
            (0x0040, 0x1005, "RequestedProcedureLocation", X),
            (0x0040, 0x1010, "NamesOfIntendedRecipientsOfResults", X),
            (0x0040, 0x1400, "RequestedProcedureComments", X),
            (0x0040, 0x2001, "ReasonForTheImagingServiceRequest", X),
            (0x0040, 0x2016, "PlacerOrderNumberImagingServiceRequest", Z),
            (0x0040, 0x2017, "FillerOrderNumberImagingServiceRequest", Z),
            (0x0040, 0x2400, "ImagingServiceRequestComments", X),
            (0x0040, 0x3001, "ConfidentialityConstraintOnPatientDataDescription", X),
            (0x0040, 0xA027, "VerifyingOrganization", X),
            (0x0040, 0xA073, "VerifyingObserverSequence", X),
            (0x0040, 0xA075, "VerifyingObserverName", X),
            (0x0040, 0xA123, "PersonName", X),
            (0x0040, 0xA730, "ContentSequence", X),
            (0x0070, 0x0084, "ContentCreatorName", X),
            (0x0088, 0x0140, "StorageMediaFileSetUID", DeidentificationAction.RemapUid),
            (0x0400, 0x0561, "OriginalAttributesSequence", X),
            (0x4000, 0x0010, "Arbitrary", X),
            (0x4000, 0x4000, "TextComments", X),
            (0xFFFA, 0xFFFA, "DigitalSignaturesSequence", X),
        ];
        return rows.ToDictionary(r => new DicomTag(r.Group, r.Element), r => (r.Keyword, r.Action));
    }
}
