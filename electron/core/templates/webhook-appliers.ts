import type { ManagementAppliers } from '../account/webhook-appliers';
import type { TemplatesService } from './service';

/** The templates' management events (status, quality, category, components), by router event type. */
export function templatesWebhookAppliers(
  templates: TemplatesService,
): ManagementAppliers<'template_status' | 'template_quality' | 'template_category' | 'template_components'> {
  return {
    template_status: (ev) => templates.applyTemplateStatusUpdate(ev),
    template_quality: (ev) => templates.applyTemplateQualityUpdate(ev),
    template_category: (ev) => templates.applyTemplateCategoryUpdate(ev),
    template_components: (ev) => templates.applyTemplateComponentsUpdate(ev),
  };
}
