// Storage: containers for scans, models, retraining runs, training data and the Functions host; the scan-events queue and its poison queue; the studies table.
@description('Azure region.')
param location string

@description('Storage account name (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param accountName string

@description('Tags applied to every resource.')
param tags object

@description('Allow shared key (account key and SAS) access; false in production, where everything uses Entra ID.')
param allowSharedKeyAccess bool

@description('Close the firewall to public networks: only private endpoints, trusted Azure services and allowedIpRanges get in.')
param denyPublicNetwork bool

@description('Address ranges (CIDR) let through a closed firewall: where operators upload training data and scans from.')
param allowedIpRanges array = []

@description('Days deleted blobs and containers stay recoverable.')
@minValue(1)
@maxValue(365)
param softDeleteDays int = 14

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: accountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_ZRS'
  }
  properties: {
    accessTier: 'Hot'
    supportsHttpsTrafficOnly: true
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: allowSharedKeyAccess
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    // Closed means default-deny rather than publicNetworkAccess 'Disabled': Event Grid delivers BlobCreated events to
    // the scan-events queue as a trusted service with its own identity, which needs the trusted-services exception
    // (https://learn.microsoft.com/azure/event-grid/consume-private-endpoints), and operators' ranges need ipRules.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: denyPublicNetwork ? 'Deny' : 'Allow'
      ipRules: [
        for range in allowedIpRanges: {
          value: range
          action: 'Allow'
        }
      ]
    }
    encryption: {
      keySource: 'Microsoft.Storage'
      requireInfrastructureEncryption: true
      services: {
        blob: {
          enabled: true
        }
        queue: {
          enabled: true
          keyType: 'Account'
        }
        table: {
          enabled: true
          keyType: 'Account'
        }
      }
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Versioning and soft delete keep every published model recoverable (models are immutable by contract).
    isVersioningEnabled: true
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
  }
}

resource scans 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'scans'
  properties: {
    publicAccess: 'None'
  }
}

resource models 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'models'
  properties: {
    publicAccess: 'None'
  }
}

// Work folders of retraining runs (checkpoints), so a retried or pre-empted job continues where it stopped.
resource runs 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'runs'
  properties: {
    publicAccess: 'None'
  }
}

// Explanation overlays (Inference:Explain), one PNG per result id, referenced from the result message.
resource results 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'results'
  properties: {
    publicAccess: 'None'
  }
}

resource training 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'training'
  properties: {
    publicAccess: 'None'
  }
}

resource eventDeadLetters 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'event-deadletters'
  properties: {
    publicAccess: 'None'
  }
}

// The Functions host keeps leases and keys here; the functions identity gets rights on these two containers only.
resource webJobsHosts 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'azure-webjobs-hosts'
  properties: {
    publicAccess: 'None'
  }
}

resource webJobsSecrets 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: 'azure-webjobs-secrets'
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource scanEvents 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'scan-events'
}

resource scanEventsPoison 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = {
  parent: queueService
  name: 'scan-events-poison'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// Instance results per study until the study is complete (Studies:Store=Table): one partition per study.
resource studies 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: 'studies'
}

output accountName string = account.name
output accountId string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
output queueEndpoint string = account.properties.primaryEndpoints.queue
output tableEndpoint string = account.properties.primaryEndpoints.table
output studiesTableName string = studies.name
output scanEventsQueueName string = scanEvents.name
output scanEventsPoisonQueueName string = scanEventsPoison.name
output deadLetterContainerName string = eventDeadLetters.name
output scansContainerName string = scans.name
output modelsContainerName string = models.name
output trainingContainerName string = training.name
output resultsContainerName string = results.name
