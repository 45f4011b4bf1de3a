// Container Apps environment with a serverless GPU profile, the functions app and the trainer jobs.
@description('Azure region.')
param location string

@description('Prefix for resource names.')
param namePrefix string

@description('Tags applied to every resource.')
param tags object

@description('Log Analytics workspace that receives container logs.')
param workspaceName string

@description('Application Insights component for traces and metrics.')
param appInsightsName string

@description('Serverless GPU workload profile type.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Registry login server that holds the images.')
param registryServer string

@description('Functions image, e.g. myregistry.azurecr.io/glcmmae-functions:1.0.0.')
param functionsImage string

@description('Trainer image, e.g. myregistry.azurecr.io/glcmmae-trainer:1.0.0.')
param trainerImage string

@description('Fewest functions replicas (0 lets the GPU scale to zero).')
@minValue(0)
param functionsMinReplicas int

@description('Most functions replicas.')
@minValue(1)
param functionsMaxReplicas int

@description('Write an occlusion heatmap to the results container for every labelled scan (120-145 extra inferences each).')
param functionsExplain bool = false

@description('Off or Pseudonymise (Privacy:Mode of the functions app).')
param privacyMode string

@description('Key Vault URI of the privacy key secret, read with the functions identity when privacyMode is Pseudonymise.')
param privacyVaultItemUri string

@description('Subnet of the environment (networkAccess private: an internal environment in that virtual network); empty: no virtual network.')
param infrastructureSubnetId string = ''

@description('Expose the functions app (POST /api/classify, GET /api/health/details behind function keys) on the internet; false keeps it reachable only inside the Container Apps environment.')
param functionsExternalIngress bool = false

@description('Retraining schedule, a cron expression in UTC.')
param trainerCron string

@description('Longest a training run may take, in seconds.')
param trainerTimeoutSeconds int

@description('Retries of a failed training run.')
param trainerRetryLimit int

@description('Identity resource id of the functions app.')
param functionsIdentityId string

@description('Client id of the functions identity.')
param functionsClientId string

@description('Identity resource id of the trainer.')
param trainerIdentityId string

@description('Client id of the trainer identity.')
param trainerClientId string

@description('Storage account name.')
param storageAccountName string

@description('Blob endpoint of the storage account.')
param blobEndpoint string

@description('Queue endpoint of the storage account.')
param queueEndpoint string

@description('Table endpoint of the storage account (the studies table of study results).')
param tableEndpoint string

@description('Seconds without a new instance after which a study is complete and its result is published.')
param studyQuietPeriodSeconds int = 300

@description('Fully qualified Service Bus namespace.')
param serviceBusNamespace string

@description('Model name in the registry (models/{name}/...).')
param modelName string

@description('Blob prefix of the training data in the training container.')
param trainingDataPrefix string

@description('Arguments of the glcmmae command the trainer jobs run.')
param trainerArguments array

var gpuProfileName = 'gpu'

resource workspace 'Microsoft.OperationalInsights/workspaces@2022-10-01' existing = {
  name: workspaceName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource environment 'Microsoft.App/managedEnvironments@2025-07-01' = {
  name: '${namePrefix}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: workspace.properties.customerId
        sharedKey: workspace.listKeys().primarySharedKey
      }
    }
    // https://learn.microsoft.com/azure/container-apps/networking: the network is chosen when the environment is
    // created and cannot be added later; internal means no public address at all, ingress only from the network.
    vnetConfiguration: empty(infrastructureSubnetId)
      ? null
      : {
          infrastructureSubnetId: infrastructureSubnetId
          internal: true
        }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

var sharedSettings = [
  { name: 'AZURE_CLIENT_ID', value: functionsClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'Authorization=AAD;ClientId=${functionsClientId}' }
  { name: 'GLCMMAE_Storage__BlobServiceUri', value: blobEndpoint }
  { name: 'GLCMMAE_Models__Name', value: modelName }
]

resource functionsApp 'Microsoft.App/containerApps@2025-07-01' = {
  name: '${namePrefix}-functions'
  location: location
  tags: tags
  kind: 'functionapp'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${functionsIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        // Internal by default: scans reach the app through the scan-events queue, so POST /api/classify (patient
        // scans) and the health details are not exposed to the internet unless functionsExternalIngress says so.
        external: functionsExternalIngress
        targetPort: 8080
        transport: 'auto'
        allowInsecure: false
      }
      registries: [
        {
          server: registryServer
          identity: functionsIdentityId
        }
      ]
      // The privacy key as a Key Vault reference: the value never appears in the template or the app's settings.
      secrets: privacyMode == 'Pseudonymise'
        ? [
            {
              name: 'privacy-key'
              keyVaultUrl: privacyVaultItemUri
              identity: functionsIdentityId
            }
          ]
        : []
    }
    template: {
      containers: [
        {
          name: 'functions'
          image: functionsImage
          resources: {
            cpu: json('8')
            memory: '56Gi'
          }
          env: concat(sharedSettings, [
            { name: 'FUNCTIONS_WORKER_RUNTIME', value: 'dotnet-isolated' }
            { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
            { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
            { name: 'AzureWebJobsStorage__clientId', value: functionsClientId }
            { name: 'ScanEvents__queueServiceUri', value: queueEndpoint }
            { name: 'ScanEvents__credential', value: 'managedidentity' }
            { name: 'ScanEvents__clientId', value: functionsClientId }
            { name: 'GLCMMAE_ServiceBus__FullyQualifiedNamespace', value: serviceBusNamespace }
            { name: 'GLCMMAE_Inference__ExecutionProvider', value: 'Cuda' }
            { name: 'GLCMMAE_Inference__Explain', value: string(functionsExplain) }
            { name: 'GLCMMAE_Privacy__Mode', value: privacyMode }
            // Study results: instance results kept per study in the studies table, one result per complete study.
            { name: 'GLCMMAE_Storage__TableServiceUri', value: tableEndpoint }
            { name: 'GLCMMAE_Studies__Store', value: 'Table' }
            { name: 'GLCMMAE_Studies__QuietPeriodSeconds', value: string(studyQuietPeriodSeconds) }
          ], privacyMode == 'Pseudonymise' ? [{ name: 'GLCMMAE_Privacy__Key', secretRef: 'privacy-key' }] : [])
          probes: [
            {
              type: 'Readiness'
              httpGet: {
                path: '/api/health'
                port: 8080
              }
              initialDelaySeconds: 10
              periodSeconds: 15
            }
          ]
        }
      ]
      scale: {
        minReplicas: functionsMinReplicas
        maxReplicas: functionsMaxReplicas
      }
    }
  }
}

var trainerSettings = [
  { name: 'AZURE_CLIENT_ID', value: trainerClientId }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
  // The trainer reads GLCMMAE_-prefixed settings only: its telemetry exporter is told where and as whom explicitly.
  { name: 'GLCMMAE_Telemetry__AzureMonitorConnectionString', value: appInsights.properties.ConnectionString }
  { name: 'GLCMMAE_Telemetry__ManagedIdentityClientId', value: trainerClientId }
  { name: 'GLCMMAE_Storage__BlobServiceUri', value: blobEndpoint }
  { name: 'GLCMMAE_Models__Name', value: modelName }
  { name: 'GLCMMAE_Training__Data', value: 'training/${trainingDataPrefix}' }
  // Publish decisions are announced on the model-events topic, with the job's identity.
  { name: 'GLCMMAE_ServiceBus__FullyQualifiedNamespace', value: serviceBusNamespace }
]

var trainerContainer = {
  name: 'trainer'
  image: trainerImage
  // The image's entrypoint is glcmmae; the arguments pick the pipeline (pretrain, fine-tune, evaluate, export, publish).
  args: trainerArguments
  resources: {
    cpu: json('8')
    memory: '56Gi'
  }
  env: trainerSettings
}

resource trainerSchedule 'Microsoft.App/jobs@2025-07-01' = {
  name: '${namePrefix}-trainer'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${trainerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Schedule'
      replicaTimeout: trainerTimeoutSeconds
      replicaRetryLimit: trainerRetryLimit
      scheduleTriggerConfig: {
        cronExpression: trainerCron
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: [
        {
          server: registryServer
          identity: trainerIdentityId
        }
      ]
    }
    template: {
      containers: [
        trainerContainer
      ]
    }
  }
}

resource trainerManual 'Microsoft.App/jobs@2025-07-01' = {
  name: '${namePrefix}-trainer-now'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${trainerIdentityId}': {}
    }
  }
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: trainerTimeoutSeconds
      replicaRetryLimit: trainerRetryLimit
      manualTriggerConfig: {
        parallelism: 1
        replicaCompletionCount: 1
      }
      registries: [
        {
          server: registryServer
          identity: trainerIdentityId
        }
      ]
    }
    template: {
      containers: [
        trainerContainer
      ]
    }
  }
}

output environmentName string = environment.name
output functionsAppName string = functionsApp.name
output functionsFqdn string = functionsApp.properties.configuration.ingress.fqdn
output trainerJobName string = trainerSchedule.name
output trainerManualJobName string = trainerManual.name
