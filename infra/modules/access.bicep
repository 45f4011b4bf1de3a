// Least-privilege role assignments for the functions and trainer identities, scoped as narrowly as each need allows.
@description('Storage account name.')
param storageAccountName string

@description('Service Bus namespace name.')
param serviceBusNamespaceName string

@description('Container registry name.')
param registryName string

@description('Key Vault holding the serving secrets.')
param vaultName string

@description('Application Insights component the apps send telemetry to.')
param appInsightsName string

@description('Principal id of the functions identity.')
param functionsPrincipalId string

@description('Principal id of the trainer identity.')
param trainerPrincipalId string

var roles = loadJsonContent('roles.json')

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource scans 'containers' existing = {
      name: 'scans'
    }

    resource models 'containers' existing = {
      name: 'models'
    }

    resource training 'containers' existing = {
      name: 'training'
    }

    resource results 'containers' existing = {
      name: 'results'
    }

    resource runs 'containers' existing = {
      name: 'runs'
    }

    resource webJobsHosts 'containers' existing = {
      name: 'azure-webjobs-hosts'
    }

    resource webJobsSecrets 'containers' existing = {
      name: 'azure-webjobs-secrets'
    }
  }

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource scanEvents 'queues' existing = {
      name: 'scan-events'
    }

    resource scanEventsPoison 'queues' existing = {
      name: 'scan-events-poison'
    }
  }

  resource tableService 'tableServices' existing = {
    name: 'default'

    resource studies 'tables' existing = {
      name: 'studies'
    }
  }
}

resource bus 'Microsoft.ServiceBus/namespaces@2024-01-01' existing = {
  name: serviceBusNamespaceName

  resource scanResults 'topics' existing = {
    name: 'scan-results'
  }

  resource scanErrors 'topics' existing = {
    name: 'scan-errors'
  }

  resource studyResults 'topics' existing = {
    name: 'study-results'
  }

  resource fhirResults 'topics' existing = {
    name: 'fhir-results'
  }

  resource modelEvents 'topics' existing = {
    name: 'model-events'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: vaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

// Functions: read scans and models, process scan events (and move poison messages), keep host state, send results.
resource functionsReadScans 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::scans.id, functionsPrincipalId, roles.storageBlobDataReader)
  scope: storage::blobService::scans
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
  }
}

resource functionsReadModels 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::models.id, functionsPrincipalId, roles.storageBlobDataReader)
  scope: storage::blobService::models
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
  }
}

// Explanation overlays are written (and rewritten by a redelivery) here: Storage Blob Data Contributor on that container alone.
resource functionsWriteResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::results.id, functionsPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::results
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

// The privacy key reaches the app as a Container Apps secret referencing Key Vault, read with this identity
// (https://learn.microsoft.com/azure/container-apps/manage-secrets#reference-secret-from-key-vault): Key Vault Secrets
// User on the vault, the narrowest scope that exists at deployment time (the secret is created after phase 1).
resource functionsReadSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, functionsPrincipalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
  }
}

// The queue trigger with an identity-based connection. Microsoft's table lists Storage Queue Data Reader and Message
// Processor (https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger#identity-based-connections),
// but when a run fails the host hands the message back by updating its visibility timeout (UpdateMessage,
// .../queues/messages/write), which only Storage Queue Data Contributor grants; without it a failed message could not
// be retried on schedule. Held on the scan-events queue alone.
resource functionsProcessEvents 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::scanEvents.id, functionsPrincipalId, roles.storageQueueDataContributor)
  scope: storage::queueService::scanEvents
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// Study results: the functions record instance results and claim complete studies in the studies table, and only there.
resource functionsStudies 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::tableService::studies.id, functionsPrincipalId, roles.storageTableDataContributor)
  scope: storage::tableService::studies
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageTableDataContributor)
  }
}

// After maxDequeueCount failures the host creates the poison queue if it is missing (CreateIfNotExists: .../queues/write)
// and adds the message: Storage Queue Data Contributor on that queue alone.
resource functionsSendPoison 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::queueService::scanEventsPoison.id, functionsPrincipalId, roles.storageQueueDataContributor)
  scope: storage::queueService::scanEventsPoison
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageQueueDataContributor)
  }
}

// Host storage (AzureWebJobsStorage) with an identity: Storage Blob Data Owner, as documented
// (https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity),
// held on the two containers the host uses (leases and keys), which this deployment creates.
resource functionsHostLeases 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::webJobsHosts.id, functionsPrincipalId, roles.storageBlobDataOwner)
  scope: storage::blobService::webJobsHosts
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource functionsHostSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::webJobsSecrets.id, functionsPrincipalId, roles.storageBlobDataOwner)
  scope: storage::blobService::webJobsSecrets
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
  }
}

resource functionsSendResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus::scanResults.id, functionsPrincipalId, roles.serviceBusDataSender)
  scope: bus::scanResults
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource functionsSendStudyResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus::studyResults.id, functionsPrincipalId, roles.serviceBusDataSender)
  scope: bus::studyResults
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource functionsSendFhirResults 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus::fhirResults.id, functionsPrincipalId, roles.serviceBusDataSender)
  scope: bus::fhirResults
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource functionsSendErrors 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus::scanErrors.id, functionsPrincipalId, roles.serviceBusDataSender)
  scope: bus::scanErrors
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource functionsPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, functionsPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

// Trainer: read training data, write models (publish and promote), keep its run copies, announce decisions, pull its image.
resource trainerReadTraining 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::training.id, trainerPrincipalId, roles.storageBlobDataReader)
  scope: storage::blobService::training
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataReader)
  }
}

resource trainerWriteModels 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::models.id, trainerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::models
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource trainerKeepRuns 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::runs.id, trainerPrincipalId, roles.storageBlobDataContributor)
  scope: storage::blobService::runs
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataContributor)
  }
}

resource trainerSendModelEvents 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bus::modelEvents.id, trainerPrincipalId, roles.serviceBusDataSender)
  scope: bus::modelEvents
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.serviceBusDataSender)
  }
}

resource trainerPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, trainerPrincipalId, roles.acrPull)
  scope: registry
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.acrPull)
  }
}

// Application Insights has local authentication disabled: telemetry is accepted only with an Entra token of an identity
// that holds Monitoring Metrics Publisher on the component
// (https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication#configure-and-enable-microsoft-entra-id-based-authentication).
resource functionsPublishTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, functionsPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: functionsPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource trainerPublishTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, trainerPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    principalId: trainerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}
