import { App } from 'aws-cdk-lib';
import { composeApp } from './payguard-app.ts';

composeApp(new App());
