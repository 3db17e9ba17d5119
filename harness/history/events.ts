export * from '../../history/schema.ts';
