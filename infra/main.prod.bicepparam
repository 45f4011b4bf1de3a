using 'main.bicep'

param namePrefix = 'glcmprod'
param environmentName = 'prod'
param serviceBusSku = 'Premium'
param networkAccess = 'private'
param privacyMode = 'Pseudonymise'
param gpuProfileType = 'Consumption-GPU-NC24-A100'
param functionsImageTag = 'glcmmae-functions:1.0.0'
param trainerImageTag = 'glcmmae-trainer:1.0.0'
param functionsMinReplicas = 1
param functionsMaxReplicas = 10
param trainerCron = '0 2 * * 0'
param tags = {
  costCenter: 'imaging-ml'
}
