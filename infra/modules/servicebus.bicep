// Service Bus: topics for results, errors, study results, FHIR reports and model decisions, example subscriptions with SQL filters, dead-lettering on expiry.
@description('Azure region.')
param location string

@description('Prefix for resource names.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

@description('Standard or Premium.')
@allowed([
  'Standard'
  'Premium'
])
param sku string

@description('Disable SAS keys so that only Entra ID can send and receive (true in production).')
param disableLocalAuth bool

@description('Close the namespace to public networks: only its private endpoint (and trusted Azure services) get in. Needs Premium.')
param denyPublicNetwork bool

@description('Window in which a repeated MessageId is dropped (ISO 8601 duration).')
param duplicateDetectionWindow string = 'PT10M'

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: '${namePrefix}-bus'
  location: location
  tags: tags
  sku: {
    name: sku
    tier: sku
    capacity: sku == 'Premium' ? 1 : 0
  }
  properties: {
    disableLocalAuth: disableLocalAuth
    minimumTlsVersion: '1.2'
    publicNetworkAccess: denyPublicNetwork ? 'Disabled' : 'Enabled'
  }
}

// https://learn.microsoft.com/azure/service-bus-messaging/network-security: the namespace's network rule set; with
// public access disabled only private endpoints reach the data plane (the functions and the trainer, inside the network).
resource networkRules 'Microsoft.ServiceBus/namespaces/networkRuleSets@2024-01-01' = if (denyPublicNetwork) {
  parent: namespace
  name: 'default'
  properties: {
    publicNetworkAccess: 'Disabled'
    defaultAction: 'Deny'
    trustedServiceAccessEnabled: true
    ipRules: []
    virtualNetworkRules: []
  }
}

resource scanResults 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'scan-results'
  properties: {
    // MessageId is SHA-256(blob URI, ETag, model version): a repeated event is dropped here.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    enableBatchedOperations: true
  }
}

resource scanErrors 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'scan-errors'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
    enableBatchedOperations: true
  }
}

// Model decisions (promoted, refused, rolled back) from the trainer and from people using glcmmae models.
resource modelEvents 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'model-events'
  properties: {
    // MessageId is SHA-256(name, version, decision, time): a resent event is dropped here.
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
  }
}

// One result per complete study (and per amendment); MessageId is SHA-256(study, revision), so a republished revision is dropped here.
resource studyResults 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'study-results'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
  }
}

// FHIR R4 DiagnosticReports (application/fhir+json) of study results, for the hospital's FHIR integration.
resource fhirResults 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: 'fhir-results'
  properties: {
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: duplicateDetectionWindow
    defaultMessageTimeToLive: 'P14D'
  }
}

resource allStudyResults 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: studyResults
  name: 'all-study-results'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource allFhirResults 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: fhirResults
  name: 'all-fhir-results'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource allModelEvents 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: modelEvents
  name: 'all-model-events'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource allResults 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: scanResults
  name: 'all-results'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource malignantAlerts 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: scanResults
  name: 'malignant-alerts'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

resource malignantFilter 'Microsoft.ServiceBus/namespaces/topics/subscriptions/rules@2024-01-01' = {
  parent: malignantAlerts
  name: 'label-is-malignant'
  properties: {
    filterType: 'SqlFilter'
    sqlFilter: {
      sqlExpression: 'label = \'malignant\''
    }
  }
}

resource allErrors 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: scanErrors
  name: 'all-errors'
  properties: {
    deadLetteringOnMessageExpiration: true
    maxDeliveryCount: 10
    lockDuration: 'PT1M'
  }
}

output namespaceName string = namespace.name
// The endpoint is https://NAME.servicebus.<cloud suffix>:443/; clients want the bare host name.
output fullyQualifiedNamespace string = replace(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':443/', '')
output scanResultsTopicName string = scanResults.name
output scanErrorsTopicName string = scanErrors.name
output modelEventsTopicName string = modelEvents.name
output studyResultsTopicName string = studyResults.name
output fhirResultsTopicName string = fhirResults.name
output subscriptionNames array = [
  allResults.name
  malignantAlerts.name
  allErrors.name
  allModelEvents.name
  allStudyResults.name
  allFhirResults.name
]
