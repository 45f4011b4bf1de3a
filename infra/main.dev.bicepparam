using 'main.bicep'

param namePrefix = 'glcmdev'
param environmentName = 'dev'
param serviceBusSku = 'Standard'
param gpuProfileType = 'Consumption-GPU-NC8as-T4'
param functionsImageTag = 'glcmmae-functions:dev'
param trainerImageTag = 'glcmmae-trainer:dev'
param functionsMinReplicas = 0
param functionsMaxReplicas = 2
param trainerCron = '0 3 * * 0'
