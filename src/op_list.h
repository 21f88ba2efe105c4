/*-------------------------------------------------------------------------
 *
 * op_list.h
 *		The operations of the stream, one line each: registering an
 *		operation is adding its line here.  Its definition (an OltpOpDef
 *		named as the line names it) goes in the op_*.c file of the table it
 *		is about; its weight setting, counters, statements and share of
 *		the watermarks follow from this line.
 *
 * The order is that of oltp_operations() and of the weight settings: a
 * new operation goes at the end, so the existing ones keep their place.
 *
 * Included twice, with OLTP_OP defined each time: by op.h to declare the
 * definitions, by op.c to list them in the registry (oltp_ops[]).
 *
 *-------------------------------------------------------------------------
 */
/* no include guard: it is meant to be included more than once */
OLTP_OP(oltp_op_insert_paciente)
OLTP_OP(oltp_op_insert_consulta)
OLTP_OP(oltp_op_insert_exame)
OLTP_OP(oltp_op_insert_internacao)
OLTP_OP(oltp_op_update_paciente)
OLTP_OP(oltp_op_update_consulta)
OLTP_OP(oltp_op_update_exame)
OLTP_OP(oltp_op_update_internacao)
OLTP_OP(oltp_op_erase_paciente)
OLTP_OP(oltp_op_rekey_paciente)
OLTP_OP(oltp_op_admit_paciente)
OLTP_OP(oltp_op_import_resultados)
OLTP_OP(oltp_op_long_transaction)
OLTP_OP(oltp_op_delete_exame)
OLTP_OP(oltp_op_delete_consulta)
OLTP_OP(oltp_op_insert_laudo)
OLTP_OP(oltp_op_sign_laudo)
OLTP_OP(oltp_op_amend_laudo)
OLTP_OP(oltp_op_enqueue_triagem)
OLTP_OP(oltp_op_clear_triagem)
OLTP_OP(oltp_op_insert_sinais_vitais)
OLTP_OP(oltp_op_update_sinais_vitais)
OLTP_OP(oltp_op_insert_fatura)
OLTP_OP(oltp_op_update_fatura)
OLTP_OP(oltp_op_insert_prontuario)
OLTP_OP(oltp_op_update_prontuario)
OLTP_OP(oltp_op_insert_dispositivo)
OLTP_OP(oltp_op_update_dispositivo)
OLTP_OP(oltp_op_insert_reserva_leito)
OLTP_OP(oltp_op_update_reserva_leito)
OLTP_OP(oltp_op_stream_exames)
OLTP_OP(oltp_op_stream_exames_aborted)
OLTP_OP(oltp_op_emit_messages)
OLTP_OP(oltp_op_emit_messages_aborted)
OLTP_OP(oltp_op_write_logs_acesso)
OLTP_OP(oltp_op_insert_evento_leito)
OLTP_OP(oltp_op_update_evento_leito)
OLTP_OP(oltp_op_move_evento_leito)
OLTP_OP(oltp_op_create_partition)
OLTP_OP(oltp_op_detach_partition)
OLTP_OP(oltp_op_attach_partition)
OLTP_OP(oltp_op_truncate_partition)
OLTP_OP(oltp_op_drop_partition)
OLTP_OP(oltp_op_insert_preco)
OLTP_OP(oltp_op_update_preco)
OLTP_OP(oltp_op_add_column_preco)
OLTP_OP(oltp_op_drop_column_preco)
OLTP_OP(oltp_op_alter_type_preco)
OLTP_OP(oltp_op_rename_column_preco)
OLTP_OP(oltp_op_replica_identity_preco)
OLTP_OP(oltp_op_ddl_dml_preco)
OLTP_OP(oltp_op_swap_table_preco)
OLTP_OP(oltp_op_delete_preco)
OLTP_OP(oltp_op_create_table_preco)
OLTP_OP(oltp_op_drop_table_preco)
