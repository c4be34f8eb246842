import { Button, Form, Modal, type FormInstance } from 'antd';
import type { ReactNode } from 'react';
import { ErrorAlert } from './ErrorAlert';
import type { Command } from './use-command';
import { useT } from '../i18n';

interface Props<V> {
  open: boolean;
  title: string;
  /** `<testId>` on the body, `<testId>-submit` / `<testId>-cancel` on the buttons, `<testId>-error` on a refusal naming no field. */
  testId: string;
  form: FormInstance<V>;
  command: Command;
  initialValues?: Partial<V>;
  onSubmit: (values: V) => void;
  onClose: () => void;
  submitLabel?: string;
  danger?: boolean;
  /** Pixels; 720 unless said. */
  width?: number;
  children: ReactNode;
}

/** A command's form in a modal: a refusal shows on the field it names (or above the form) and the modal stays open. */
export function CommandModal<V extends object>(props: Props<V>) {
  const t = useT();
  const close = (): void => {
    props.command.clear();
    props.onClose();
  };
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={close}
      destroyOnHidden
      width={props.width ?? 720}
      footer={[
        <Button key="cancel" onClick={close} data-testid={`${props.testId}-cancel`}>
          {t('app.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          danger={props.danger ?? false}
          loading={props.command.busy}
          onClick={() => props.form.submit()}
          data-testid={`${props.testId}-submit`}
        >
          {props.submitLabel ?? t('app.confirm')}
        </Button>,
      ]}
    >
      <div data-testid={props.testId}>
        <ErrorAlert error={props.command.error} testId={`${props.testId}-error`} />
        <Form<V> form={props.form} layout="vertical" preserve={false} initialValues={props.initialValues ?? {}} onFinish={props.onSubmit}>
          {props.children}
        </Form>
      </div>
    </Modal>
  );
}
